package dev.llmproxy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.RawClient;
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

  private static final ObjectMapper JSON = new ObjectMapper();

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

  /**
   * A stream of {@code model} with this client's key on a raw connection, held open: its first event has arrived.
   * The caller aborts it to let it go.
   */
  public RawClient heldStream(String model) throws IOException {
    RawClient c = RawClient.connect(gateway.port());
    c.post(gateway.uri("/v1/chat/completions").getPath(), clientKey,
        "{\"model\":\"" + model + "\",\"stream\":true}");
    c.readUntil("data: ", 1);
    return c;
  }

  /** The {@code usage} row of the client key {@code name} in {@code GET api-keys} (this client sends the management key). */
  public JsonNode apiKeyUsage(String name) {
    JsonNode body;
    try {
      body = JSON.readTree(get("/v0/management/api-keys").body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (JsonNode row : body.path("usage")) {
      if (name.equals(row.path("name").asText())) {
        return row;
      }
    }
    throw new AssertionError("no usage row for " + name + ": " + body);
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
