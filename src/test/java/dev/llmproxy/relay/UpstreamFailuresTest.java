package dev.llmproxy.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.routing.FailureKind;
import dev.llmproxy.routing.UpstreamFailure;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class UpstreamFailuresTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void retryAfterAcceptsSecondsAndHttpDates() {
    assertEquals(Duration.ofSeconds(12), UpstreamFailures.parseRetryAfter("12", NOW));
    assertEquals(Duration.ofSeconds(30), UpstreamFailures.parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", NOW));
    assertEquals(Duration.ZERO, UpstreamFailures.parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", NOW));
    assertNull(UpstreamFailures.parseRetryAfter("soon", NOW));
  }

  @Test
  void openAiShapedUpstreamErrorsPassThroughOthersAreWrapped() {
    byte[] openAi = "{\"error\":{\"message\":\"quota\",\"type\":\"insufficient_quota\"}}".getBytes(StandardCharsets.UTF_8);
    UpstreamFailure f = UpstreamFailures.fromResponse(429, openAi, "3", NOW);
    assertEquals(FailureKind.RATE_LIMIT, f.kind());
    assertEquals(Duration.ofSeconds(3), f.retryAfter());
    assertEquals(openAi, f.body());

    UpstreamFailure html = UpstreamFailures.fromResponse(503, "<html>down</html>".getBytes(StandardCharsets.UTF_8), null, NOW);
    String body = new String(html.body(), StandardCharsets.UTF_8);
    assertFalse(body.contains("html"), "upstream text is not echoed: " + body);
    assertTrue(body.contains("\"type\":\"server_error\""), body);
  }

  @Test
  void redirectsAreNeverRelayed() {
    UpstreamFailure f = UpstreamFailures.fromResponse(302, new byte[0], null, NOW);
    assertEquals(502, f.status());
    assertEquals(FailureKind.TRANSIENT, f.kind());
  }

  @Test
  void transportFailuresMapTo502Or504WithoutExceptionText() {
    UpstreamFailure timeout = UpstreamFailures.fromException(new SocketTimeoutException("secret detail 10.0.0.1"));
    assertEquals(504, timeout.status());
    UpstreamFailure refused = UpstreamFailures.fromException(new ConnectException("Connection refused 10.0.0.1"));
    assertEquals(502, refused.status());
    assertFalse(new String(refused.body(), StandardCharsets.UTF_8).contains("10.0.0.1"));
  }

  @Test
  void tlsFailuresSayItWasTheHandshakeWithoutItsDetails() {
    UpstreamFailure f = UpstreamFailures.fromException(new java.util.concurrent.ExecutionException(
        new SSLHandshakeException("PKIX path building failed for 10.0.0.1")));
    assertEquals(502, f.status());
    assertEquals(FailureKind.TRANSIENT, f.kind());
    assertEquals("{\"error\":{\"message\":\"Upstream provider unavailable: the TLS handshake failed\","
        + "\"type\":\"server_error\",\"param\":null,\"code\":\"upstream_unavailable\"}}",
        new String(f.body(), StandardCharsets.UTF_8));
  }

  @Test
  void errorObjectDetectionIgnoresNullAndNestedErrors() {
    assertTrue(UpstreamFailures.hasErrorObject("{\"id\":1,\"error\":{\"message\":\"x\"}}".getBytes(StandardCharsets.UTF_8)));
    assertFalse(UpstreamFailures.hasErrorObject("{\"error\":null,\"choices\":[]}".getBytes(StandardCharsets.UTF_8)));
    assertFalse(UpstreamFailures.hasErrorObject("{\"choices\":[{\"error\":{}}]}".getBytes(StandardCharsets.UTF_8)));
    assertFalse(UpstreamFailures.hasErrorObject("{\"content\":\"\\\"error\\\": oops\"}".getBytes(StandardCharsets.UTF_8)));
  }
}
