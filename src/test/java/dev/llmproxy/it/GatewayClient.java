package dev.llmproxy.it;

import dev.llmproxy.testing.GatewayServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for the gateway under test: raw requests, so tests see exact statuses and bodies. */
public final class GatewayClient {
  public static final String CLIENT_KEY = "team-key-1";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final GatewayServer gateway;
  private final String clientKey;

  /** A client that sends {@link #CLIENT_KEY}. */
  public GatewayClient(GatewayServer gateway) {
    this(gateway, CLIENT_KEY);
  }

  public GatewayClient(GatewayServer gateway, String clientKey) {
    this.gateway = gateway;
    this.clientKey = clientKey;
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + clientKey);
  }

  public HttpResponse<String> get(String path) {
    return send(request(path).GET().build());
  }

  public HttpResponse<String> post(String path, String json) {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  public HttpResponse<String> chat(String model) {
    return post("/v1/chat/completions", "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  HttpResponse<InputStream> stream(String model) {
    HttpRequest r = request("/v1/chat/completions").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build();
    return send(r, HttpResponse.BodyHandlers.ofInputStream());
  }

  HttpResponse<String> send(HttpRequest r) {
    return send(r, HttpResponse.BodyHandlers.ofString());
  }

  <T> HttpResponse<T> send(HttpRequest r, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(r, handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static URI uri(String s) {
    return URI.create(s);
  }
}
