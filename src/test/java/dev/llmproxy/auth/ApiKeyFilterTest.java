package dev.llmproxy.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.routing.SnapshotHolder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The data-plane gate with {@code client-auth} in each mode, on mocked servlet objects. */
class ApiKeyFilterTest {
  private static final String KEY = "machine-key-000000001";
  /** The example key, with a reverse proxy on this host that is trusted to name the client. */
  private static final String BEHIND_LOCAL_PROXY = """
      api-keys: ["change-me-please"]
      remote-management:
        trusted-proxies: ["127.0.0.1"]
      """;

  private final Map<String, Object> attributes = new HashMap<>();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private int status = 200;
  private boolean passed;

  private ApiKeyFilter filter(String yaml) throws Exception {
    SnapshotHolder holder = new SnapshotHolder();
    holder.install(GatewaySnapshot.of(new ConfigLoader(n -> null).parse(yaml, "test"), dev.llmproxy.routing.DiscoveredModels.NONE, 0));
    return new ApiKeyFilter(holder, dev.llmproxy.error.ClientErrorWriter.OPENAI);
  }

  private HttpServletRequest request(String user, String bearer, String... roles) {
    HttpServletRequest request = ContainerPrincipalPolicyTest.request(user, roles);
    when(request.getMethod()).thenReturn("POST");
    when(request.getHeader("Authorization")).thenReturn(bearer == null ? null : "Bearer " + bearer);
    doAnswer(inv -> attributes.put(inv.getArgument(0), inv.getArgument(1))).when(request)
        .setAttribute(any(), any());
    when(request.getAttribute(any())).thenAnswer(inv -> attributes.get(inv.getArgument(0, String.class)));
    return request;
  }

  private void run(ApiKeyFilter filter, HttpServletRequest request) throws Exception {
    HttpServletResponse response = mock(HttpServletResponse.class);
    doAnswer(inv -> status = inv.getArgument(0)).when(response).setStatus(org.mockito.ArgumentMatchers.anyInt());
    when(response.getOutputStream()).thenReturn(new ServletOutputStream() {
      @Override
      public void write(int b) {
        body.write(b);
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setWriteListener(WriteListener listener) {}
    });
    FilterChain chain = (req, res) -> passed = true;
    filter.doFilter(request, response, chain);
  }

  private String body() {
    return body.toString(StandardCharsets.UTF_8);
  }

  @Test
  void signedInUserInRolePassesWithoutKeyAndIsRecordedByName() throws Exception {
    HttpServletRequest request = request("alice", null, "llm-proxy-user");
    run(filter("client-auth: both\nclient-role: llm-proxy-user\napi-keys: [\"" + KEY + "\"]\n"), request);
    assertTrue(passed);
    assertEquals("user alice", ClientIdentity.of(request).toString());
  }

  @Test
  void machineKeyStillWorksInBothModeAndIsRecordedMasked() throws Exception {
    HttpServletRequest request = request(null, KEY);
    run(filter("client-auth: both\napi-keys: [\"" + KEY + "\"]\n"), request);
    assertTrue(passed);
    assertEquals("key mach...0001", ClientIdentity.of(request).toString());
  }

  @Test
  void containerModeRejectsAnonymousWith401AndAKeyDoesNotHelp() throws Exception {
    run(filter("client-auth: container\napi-keys: [\"" + KEY + "\"]\n"), request(null, KEY));
    assertFalse(passed);
    assertEquals(401, status);
    assertTrue(body().contains("\"code\":\"not_signed_in\""), body());
  }

  @Test
  void signedInUserWithoutRoleGets403() throws Exception {
    run(filter("client-auth: container\nclient-role: llm-proxy-user\n"), request("bob", null, "other"));
    assertFalse(passed);
    assertEquals(403, status);
    assertTrue(body().contains("\"type\":\"permission_error\""), body());
    assertTrue(body().contains("llm-proxy-user"), body());
  }

  @Test
  void apiKeyModeIgnoresAPrincipal() throws Exception {
    run(filter("api-keys: [\"" + KEY + "\"]\n"), request("alice", null, "llm-proxy-user"));
    assertFalse(passed);
    assertEquals(401, status);
    assertTrue(body().contains("\"code\":\"missing_api_key\""), body());
  }

  @Test
  void bothModeWithoutKeysIsNotOpen() throws Exception {
    run(filter("client-auth: both\n"), request(null, null));
    assertFalse(passed);
    assertEquals(401, status);
  }

  @Test
  void openAccessRecordsAnonymous() throws Exception {
    HttpServletRequest request = request(null, null);
    run(filter("{}"), request);
    assertTrue(passed);
    assertEquals(ClientIdentity.ANONYMOUS, ClientIdentity.of(request));
  }

  @Test
  void disabledAndExpiredKeysAreRefusedAsInvalidSayingWhy() throws Exception {
    String yaml = "api-keys:\n  - {key: \"" + KEY + "\", disabled: true}\n"
        + "  - {key: other-key-000000002, expires: 2026-01-02}\n";
    run(filter(yaml), request(null, KEY));
    assertFalse(passed);
    assertEquals(401, status);
    assertTrue(body().contains("\"code\":\"invalid_api_key\"") && body().contains("disabled"), body());

    body.reset();
    SnapshotHolder holder = new SnapshotHolder();
    holder.install(GatewaySnapshot.of(new ConfigLoader(n -> null).parse(yaml, "test"),
        dev.llmproxy.routing.DiscoveredModels.NONE, 0));
    dev.llmproxy.routing.MutableClock clock = new dev.llmproxy.routing.MutableClock();
    ApiKeyFilter filter = new ApiKeyFilter(holder, dev.llmproxy.error.ClientErrorWriter.OPENAI, clock);
    clock.advance(java.time.Duration.ofDays(1).minusSeconds(1));
    run(filter, request(null, "other-key-000000002"));
    assertTrue(passed, "valid until 00:00 UTC of its expiry date");
    passed = false;
    clock.advance(java.time.Duration.ofSeconds(1));
    run(filter, request(null, "other-key-000000002"));
    assertFalse(passed);
    assertTrue(body().contains("expired at 2026-01-02T00:00:00Z"), body());
  }

  @Test
  void signedInUsersGetTheLimitsOfTheirNameElseOfTheirFirstMatchingRole() throws Exception {
    String yaml = "client-auth: container\nuser-limits:\n  - {role: interns, rpm: 1}\n  - {role: staff, rpm: 2}\n"
        + "  - {user: alice, rpm: 3}\n";
    ApiKeyFilter filter = filter(yaml);
    HttpServletRequest alice = request("alice", null, "interns");
    run(filter, alice);
    assertEquals(3, ClientIdentity.of(alice).limits().rpm(), "her own entry wins");
    assertEquals("user:alice", ClientIdentity.of(alice).limitId());
    HttpServletRequest bob = request("bob", null, "staff", "interns");
    run(filter, bob);
    assertEquals(1, ClientIdentity.of(bob).limits().rpm(), "the first role entry in file order");
    HttpServletRequest carol = request("carol", null, "visitors");
    run(filter, carol);
    assertEquals(null, ClientIdentity.of(carol).limits());
  }

  @Test
  void principalNamesStayOnOneLogLine() {
    assertEquals("user eve?injected", ClientIdentity.user("eve\ninjected").toString());
  }

  @Test
  void theExampleKeyIsRefusedFromOtherMachinesWithWhatToSet() throws Exception {
    HttpServletRequest request = request(null, "change-me-client-key");
    when(request.getRemoteAddr()).thenReturn("192.0.2.10");
    run(filter("api-keys: [\"change-me-client-key\"]\n"), request);

    assertFalse(passed);
    assertEquals(401, status);
    assertEquals("{\"error\":{\"message\":\"This gateway still uses the example client key from conf/config.yaml, "
        + "which is accepted only from this machine. Set your own keys in api-keys of config.yaml.\","
        + "\"type\":\"authentication_error\",\"param\":null,\"code\":\"example_api_key\"}}", body());
  }

  @Test
  void theExampleKeyWorksFromLoopback() throws Exception {
    for (String loopback : new String[] {"127.0.0.1", "::1", "0:0:0:0:0:0:0:1", "127.0.1.1"}) {
      passed = false;
      HttpServletRequest request = request(null, "change-me-please");
      when(request.getRemoteAddr()).thenReturn(loopback);
      run(filter("api-keys: [\"change-me-please\"]\n"), request);
      assertTrue(passed, loopback);
    }
  }

  private HttpServletRequest viaLocalProxy(String... forwardedFor) {
    HttpServletRequest request = request(null, "change-me-please");
    when(request.getRemoteAddr()).thenReturn("127.0.0.1");
    when(request.getHeaders("X-Forwarded-For")).thenAnswer(inv -> Collections.enumeration(List.of(forwardedFor)));
    return request;
  }

  @Test
  void theExampleKeyIsRefusedFromAnotherMachineThroughATrustedProxyOnThisHost() throws Exception {
    run(filter(BEHIND_LOCAL_PROXY), viaLocalProxy("192.0.2.10"));
    assertFalse(passed);
    assertEquals(401, status);
    assertTrue(body().contains("example_api_key"), body());
  }

  @Test
  void theExampleKeyIsRefusedThroughATrustedProxyThatNamesNoClient() throws Exception {
    run(filter(BEHIND_LOCAL_PROXY), viaLocalProxy());
    assertFalse(passed);
    assertEquals(401, status);
  }

  @Test
  void theExampleKeyWorksFromThisMachineThroughATrustedProxyOnThisHost() throws Exception {
    run(filter(BEHIND_LOCAL_PROXY), viaLocalProxy("127.0.0.1"));
    assertTrue(passed, body());
  }

  @Test
  void ownKeysWorkFromAnywhere() throws Exception {
    HttpServletRequest request = request(null, KEY);
    when(request.getRemoteAddr()).thenReturn("192.0.2.10");
    run(filter("api-keys: [\"" + KEY + "\"]\n"), request);
    assertTrue(passed);
  }
}
