package dev.llmproxy.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.config.GatewayConfig;
import dev.llmproxy.routing.Attempt;
import dev.llmproxy.routing.FailureKind;
import dev.llmproxy.routing.PoolMember;
import dev.llmproxy.routing.RoutingTable;
import dev.llmproxy.routing.UpstreamFailure;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.core5.util.DeadlineTimeoutException;
import org.apache.hc.core5.util.TimeValue;
import org.junit.jupiter.api.Test;

class UpstreamFailuresTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final String KEY = "sk-upstreamA-SECRET-0123456789";

  /** An attempt at provider {@code acme} with the key {@link #KEY}. */
  static Attempt attempt() {
    return attempt("");
  }

  /** An attempt on acme's key, whose entry has {@code keyOptions} ({@code , proxy-url: ...}) too. */
  static Attempt attempt(String keyOptions) {
    try {
      GatewayConfig config = new ConfigLoader(n -> null).parse("""
          openai-compatibility:
            - name: acme
              base-url: http://127.0.0.1:1/v1
              api-key-entries: [{api-key: %s%s}]
              models: [{name: m}]
          """.formatted(KEY, keyOptions), "test.yaml");
      RoutingTable table = RoutingTable.build(config);
      PoolMember member = table.find("m").members().get(0);
      return new Attempt(table.credentials(member.provider()).get(0), member);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static UpstreamFailure response(int status, String body, String retryAfter) {
    return UpstreamFailures.fromResponse(attempt(), status, bytes(body), retryAfter, NOW, List.of());
  }

  @Test
  void retryAfterAcceptsSecondsAndHttpDates() {
    assertEquals(Duration.ofSeconds(12), UpstreamFailures.parseRetryAfter("12", NOW));
    assertEquals(Duration.ofSeconds(30), UpstreamFailures.parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", NOW));
    assertEquals(Duration.ZERO, UpstreamFailures.parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", NOW));
    assertNull(UpstreamFailures.parseRetryAfter("soon", NOW));
  }

  @Test
  void upstreamErrorFieldsAreKeptAndOtherBodiesAreWordedByTheGateway() {
    UpstreamFailure f = response(429, "{\"error\":{\"message\":\"quota\",\"type\":\"insufficient_quota\",\"code\":\"q1\"}}", "3");
    assertEquals(FailureKind.RATE_LIMIT, f.kind());
    assertEquals(429, f.status());
    assertEquals(Duration.ofSeconds(3), f.retryAfter());
    assertEquals("quota", f.detail().message());
    assertEquals("insufficient_quota", f.detail().type());
    assertEquals("q1", f.detail().code());

    UpstreamFailure html = response(503, "<html>down</html>", null);
    assertFalse(html.detail().message().contains("html"), "upstream text is not echoed: " + html.detail());
    assertEquals("Upstream provider 'acme' returned HTTP 503.", html.detail().message());
  }

  @Test
  void aShortPlainTextBodyIsTheMessageCleanedAndALongOrBinaryOneIsNot() {
    UpstreamFailure f = response(400, "Bad request:\n  max_tokens too large for key sk-abcdef123456", null);
    assertEquals(400, f.status());
    assertEquals("Bad request: max_tokens too large for key <redacted>", f.detail().message());

    assertEquals("Upstream provider 'acme' returned HTTP 400.", response(400, "x".repeat(2000), null).detail().message());
    assertEquals("Upstream provider 'acme' returned HTTP 500.", response(500, "\u0000\uFFFD", null).detail().message());
  }

  @Test
  void aRefusedUpstreamKeyIsAn502NamingTheProviderAndNeverEchoesTheKey() {
    UpstreamFailure f = response(401, "{\"error\":{\"message\":\"Incorrect API key provided: Bearer " + KEY
        + ". You can find your API key at ...\",\"code\":\"invalid_api_key\"}}", null);
    assertEquals(FailureKind.KEY_FAULT, f.kind());
    assertEquals(502, f.status(), "not a 401: that would read as the client's own key being wrong");
    assertEquals("Upstream provider 'acme' refused the gateway's credentials (HTTP 401).", f.detail().message());
    assertEquals("upstream_auth_failed", f.detail().code());
    assertTrue(f.logDetail().contains("Incorrect API key provided"), f.logDetail());
    assertFalse(f.logDetail().contains("SECRET"), "even the log never holds the key: " + f.logDetail());
  }

  @Test
  void keysAndTokensAreRedactedFromAnyRelayedMessage() {
    UpstreamFailure f = response(400, "{\"error\":{\"message\":\"bad request for key " + KEY
        + " (also sk-proj-abcdefgh12345 and Bearer xyz.abc)\"}}", null);
    String message = f.detail().message();
    assertFalse(message.contains("SECRET"), message);
    assertFalse(message.contains("abcdefgh12345"), message);
    assertFalse(message.contains("xyz.abc"), message);
    assertTrue(message.startsWith("bad request for key <redacted>"), message);
  }

  @Test
  void aCodeOrParamHoldingAKeyIsDroppedAndTheOthersKept() {
    UpstreamFailure f = response(400, "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\","
        + "\"code\":\"" + KEY + "\",\"param\":\"sk-proj-abcdefgh12345\"}}", null);
    assertEquals("bad", f.detail().message());
    assertEquals("invalid_request_error", f.detail().type());
    assertNull(f.detail().code());
    assertNull(f.detail().param());
  }

  @Test
  void redirectsAreNeverRelayed() {
    UpstreamFailure f = response(302, "", null);
    assertEquals(502, f.status());
    assertEquals(FailureKind.TRANSIENT, f.kind());
  }

  @Test
  void aDeadClientReactorIsTheGatewaysBusinessNotTheKeys() {
    var dead = new org.apache.hc.core5.reactor.IOReactorShutdownException("I/O reactor has been shut down");
    for (UpstreamFailure f : List.of(UpstreamFailures.fromException(attempt(), dead),
        UpstreamFailures.brokenOff(attempt(), dead))) {
      assertEquals(503, f.status());
      assertEquals(FailureKind.GATEWAY_BUSY, f.kind(), "nothing cools, nothing is sent again");
      assertEquals("gateway_busy", f.detail().code());
    }
  }

  @Test
  void onlyAFullPoolOfTheGatewaysOwnIsBlamedOnThePoolAmongTheBusyFailures() {
    UpstreamFailure poolFull = UpstreamFailures.fromException(attempt(),
        new org.apache.hc.core5.http.ConnectionRequestTimeoutException("lease timed out"));
    assertEquals(FailureKind.GATEWAY_BUSY, poolFull.kind());
    assertTrue(UpstreamFailures.poolWasFull(poolFull));
    for (UpstreamFailure other : List.of(UpstreamFailures.outOfBufferBudget(attempt()),
        UpstreamFailures.fromException(attempt(), new dev.llmproxy.upstream.GatewayStoppingException()),
        UpstreamFailures.fromException(attempt(), new org.apache.hc.core5.reactor.IOReactorShutdownException("dead")))) {
      assertEquals(FailureKind.GATEWAY_BUSY, other.kind());
      assertFalse(UpstreamFailures.poolWasFull(other), other.logDetail());
    }
  }

  @Test
  void transportFailuresMapTo502Or504WithoutExceptionText() {
    UpstreamFailure timeout = UpstreamFailures.fromException(attempt(), new SocketTimeoutException("secret detail 10.0.0.1"));
    assertEquals(504, timeout.status());
    UpstreamFailure refused = UpstreamFailures.fromException(attempt(), new ConnectException("Connection refused 10.0.0.1"));
    assertEquals(502, refused.status());
    assertFalse(refused.detail().message().contains("10.0.0.1"));
    assertEquals("Upstream provider 'acme' is unreachable: the connection was refused.", refused.detail().message());
    assertTrue(refused.logDetail().contains("Connection refused 10.0.0.1"), "operators read the cause: " + refused.logDetail());
  }

  @Test
  void aConnectionLostMidAnswerIsABrokenAnswerAndATimeoutStaysATimeout() {
    UpstreamFailure broken = UpstreamFailures.brokenOff(attempt(), new java.io.IOException("Premature end of chunk"));
    assertEquals(502, broken.status());
    assertEquals("Upstream provider 'acme' failed: the connection broke before the answer was complete.",
        broken.detail().message());
    assertTrue(broken.logDetail().contains("Premature end of chunk"), broken.logDetail());
    assertEquals(504, UpstreamFailures.brokenOff(attempt(), new SocketTimeoutException("read")).status());
  }

  @Test
  void aRefusedConnectionThroughAnHttpProxyIsTheProxys() {
    UpstreamFailure f = UpstreamFailures.fromException(attempt(", proxy-url: \"http://u:pw@proxy.internal:3128\""),
        new ConnectException("Connection refused"));
    assertEquals("Upstream provider 'acme' is unreachable: its outbound proxy refused the connection.",
        f.detail().message());
    assertTrue(f.logDetail().endsWith("(via http://u:<redacted>@proxy.internal:3128)"), f.logDetail());
    assertFalse(f.logDetail().contains("pw@"), f.logDetail());
  }

  @Test
  void anUnresolvableHostSaysSoToOperatorsAndClients() {
    UpstreamFailure f = UpstreamFailures.fromException(attempt(), new UnknownHostException("api.example.invalid"));
    assertEquals(502, f.status());
    assertEquals("Upstream provider 'acme' is unreachable: its host name could not be resolved.", f.detail().message());
    assertTrue(f.logDetail().contains("UnknownHostException: api.example.invalid"), f.logDetail());
  }

  @Test
  void waitingForTheGatewaysOwnPoolIsGatewayBusyNotAnUpstreamTimeout() {
    UpstreamFailure f = UpstreamFailures.fromException(attempt(), new ExecutionException(
        DeadlineTimeoutException.from(org.apache.hc.core5.util.Deadline.calculate(TimeValue.ofMilliseconds(1)))));
    assertEquals(FailureKind.GATEWAY_BUSY, f.kind());
    assertEquals(503, f.status());
    assertEquals("gateway_busy", f.detail().code());
    assertEquals(UpstreamFailures.BUSY_RETRY_AFTER, f.retryAfter());
  }

  @Test
  void tlsFailuresSayItWasTheHandshakeWithoutItsDetails() {
    UpstreamFailure f = UpstreamFailures.fromException(attempt(), new ExecutionException(
        new SSLHandshakeException("PKIX path building failed for 10.0.0.1")));
    assertEquals(502, f.status());
    assertEquals(FailureKind.TRANSIENT, f.kind());
    assertEquals("Upstream provider 'acme' is unreachable: the TLS handshake failed.", f.detail().message());
    assertEquals("upstream_unavailable", f.detail().code());
  }

  @Test
  void errorObjectDetectionIgnoresNullAndNestedErrors() {
    assertTrue(UpstreamFailures.hasErrorObject(bytes("{\"id\":1,\"error\":{\"message\":\"x\"}}")));
    assertFalse(UpstreamFailures.hasErrorObject(bytes("{\"error\":null,\"choices\":[]}")));
    assertFalse(UpstreamFailures.hasErrorObject(bytes("{\"choices\":[{\"error\":{}}]}")));
    assertFalse(UpstreamFailures.hasErrorObject(bytes("{\"content\":\"\\\"error\\\": oops\"}")));
  }

  @Test
  void anAnswerThatCouldNotBeReadTellsTheClientNoClassNameOfOurs() {
    UpstreamFailure f = UpstreamFailures.brokenAnswer(attempt(), "the upstream answer could not be read",
        new IllegalArgumentException("the upstream completion has no choice").toString());

    assertEquals(502, f.status());
    assertFalse(f.detail().message().contains("Exception"), f.detail().message());
    assertTrue(f.logDetail().contains("IllegalArgumentException: the upstream completion has no choice"),
        f.logDetail());
  }
}
