package dev.llmproxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One request as {@link FakeUpstream} received it.
 *
 * <p>Immutable and safe to share between threads: the header map is a case-insensitive, unmodifiable copy and the
 * body is copied on the way in and on the way out.
 *
 * @param method HTTP method, for example {@code POST}
 * @param path request path including the query string, for example {@code /v1/chat/completions?x=1}
 * @param headers header name to values; lookups ignore case
 * @param body raw request body (empty when there was none)
 * @param remoteAddress the peer's IP address as the fake saw it, for example {@code 127.0.0.2}; this tells direct
 *     connections from ones made through {@link SocksProxyProcess} or {@link HttpProxyProcess}
 * @param protocol the request's protocol, {@code HTTP/1.1} or {@code HTTP/2.0}
 * @param connection the peer's address and port: requests with the same value came over one connection
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, byte[] body,
    String remoteAddress, String protocol, String connection) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Copies every argument so the record cannot change after construction. */
  public RecordedRequest {
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> copy.merge(name, List.copyOf(values), RecordedRequest::concat));
    headers = Collections.unmodifiableMap(copy);
    body = body.clone();
  }

  /** Returns a copy of the raw body. */
  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The first value of a header, or {@code null} when the request did not carry it. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The upstream key the gateway sent ({@code Authorization: Bearer <key>}), or {@code null}. */
  public String bearerToken() {
    String authorization = header("Authorization");
    return authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
  }

  /** Every value of a header in arrival order; empty when absent. */
  public List<String> headerValues(String name) {
    return headers.getOrDefault(name, List.of());
  }

  /** The path without its query string. */
  public String pathWithoutQuery() {
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  /**
   * The body parsed as JSON.
   *
   * @throws IllegalStateException when the body is not JSON
   */
  public JsonNode json() {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("request body is not JSON: " + bodyText(), e);
    }
  }

  /** The JSON {@code model} field, or {@code null} when the body is not a JSON object with a textual model. */
  public String model() {
    JsonNode model = jsonOrNull().path("model");
    return model.isTextual() ? model.asText() : null;
  }

  /** The {@code role} of each message of a chat-completions body, in order; empty without messages. */
  public List<String> messageRoles() {
    List<String> roles = new ArrayList<>();
    jsonOrNull().path("messages").forEach(message -> roles.add(message.path("role").asText()));
    return roles;
  }

  /** Whether the JSON body asks for a streamed response ({@code "stream": true}). */
  public boolean isStream() {
    return jsonOrNull().path("stream").asBoolean(false);
  }

  private JsonNode jsonOrNull() {
    try {
      JsonNode node = JSON.readTree(body);
      return node == null ? JSON.missingNode() : node;
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }

  private static List<String> concat(List<String> first, List<String> second) {
    return Stream.concat(first.stream(), second.stream()).toList();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RecordedRequest that
        && method.equals(that.method)
        && path.equals(that.path)
        && headers.equals(that.headers)
        && Arrays.equals(body, that.body)
        && remoteAddress.equals(that.remoteAddress);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hash(method, path, headers, remoteAddress) + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return method + " " + path + " from " + remoteAddress + " (" + body.length + " body bytes)";
  }
}
