package dev.llmproxy.it;

import dev.llmproxy.testing.FakeUpstream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The config.yaml files the container suites deploy with, all pointing at one {@link FakeUpstream}. */
final class TestConfigs {
  static final String CLIENT_KEY = "client-key-for-tests-1";
  static final String MACHINE_KEY = "machine-key-for-tests-2";
  static final String MANAGEMENT_KEY = "management-key-for-tests-3";
  static final String MODEL = "gpt-test";
  static final String UPSTREAM_KEY = "sk-upstream-test-0123456789";
  static final String UPSTREAM_MODEL = "fake-model-v1";

  private TestConfigs() {}

  /**
   * The smallest gateway config: client key {@code team-key-1} ({@link GatewayClient#CLIENT_KEY}), one
   * provider {@code p} at {@code upstream} with key {@code k} and model {@code m}; {@code extra} is
   * top-level YAML put before it.
   */
  static String oneProvider(FakeUpstream upstream, String extra) {
    return "api-keys: [\"" + GatewayClient.CLIENT_KEY + "\"]\n" + extra + """
        openai-compatibility:
          - name: p
            base-url: %s
            api-key-entries: [{api-key: k}]
            models: [{name: m}]
        """.formatted(upstream.baseUrl());
  }

  /** API keys only; management by key. */
  static Path standard(Path dir, FakeUpstream upstream) throws IOException {
    return standard(dir, upstream, "");
  }

  /** {@link #standard(Path, FakeUpstream)} with {@code extra} top-level YAML before the provider. */
  static Path standard(Path dir, FakeUpstream upstream, String extra) throws IOException {
    return write(dir, """
        api-keys: ["%s"]
        debug: true
        remote-management:
          secret-key: "%s"
        """.formatted(CLIENT_KEY, MANAGEMENT_KEY) + extra + provider(upstream));
  }

  /** Behind an SSO filter: signed-in users in the client role, or machines with a key; admins by role. */
  static Path sso(Path dir, FakeUpstream upstream) throws IOException {
    return write(dir, """
        api-keys: ["%s"]
        debug: true
        client-auth: both
        client-role: llm-proxy-user
        remote-management:
          auth: container
        """.formatted(MACHINE_KEY) + provider(upstream));
  }

  /** Behind a security-constraint: only users the container authenticated; admins by role. */
  static Path basic(Path dir, FakeUpstream upstream) throws IOException {
    return write(dir, """
        debug: true
        client-auth: container
        client-role: llm-proxy-user
        remote-management:
          auth: container
          role: llm-proxy-admin
        """ + provider(upstream));
  }

  private static String provider(FakeUpstream upstream) {
    return """
        openai-compatibility:
          - name: fake
            base-url: "%s"
            api-key-entries:
              - api-key: "%s"
            models:
              - name: "%s"
                alias: "%s"
        """.formatted(upstream.baseUrl(), UPSTREAM_KEY, UPSTREAM_MODEL, MODEL);
  }

  private static Path write(Path dir, String yaml) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.yaml"), yaml, StandardCharsets.UTF_8);
    return dir;
  }
}
