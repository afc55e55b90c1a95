package dev.llmproxy.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A real HTTP client for the deployed gateway (JDK HttpClient, HTTP/1.1). Thread-safe. */
final class GatewayHttp {
  static final String CHAT = "{\"model\":\"" + TestConfigs.MODEL
      + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  static final String CHAT_STREAM = "{\"model\":\"" + TestConfigs.MODEL
      + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  static String bearer(String key) {
    return "Bearer " + key;
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<String> get(URI uri, String... headers) throws IOException, InterruptedException {
    return client.send(request(uri, headers).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(URI uri, String json, String... headers) throws IOException, InterruptedException {
    return client.send(request(uri, headers).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> patch(URI uri, String json, String... headers) throws IOException, InterruptedException {
    return client.send(request(uri, headers).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Starts a streaming chat; the caller reads events with {@link SseReader} and closes it. */
  HttpResponse<InputStream> postStream(URI uri, String... headers) throws IOException, InterruptedException {
    return client.send(request(uri, headers).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(CHAT_STREAM)).build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  private static HttpRequest.Builder request(URI uri, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }
}
