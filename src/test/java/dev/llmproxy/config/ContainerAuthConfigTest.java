package dev.llmproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.RemoteManagementConfig.ManagementAuth;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Binding and validation of {@code client-auth}, {@code client-role}, {@code remote-management.auth/role}. */
class ContainerAuthConfigTest {
  private final ConfigLoader loader = new ConfigLoader(name -> null);

  private GatewayConfig load(String fixture) throws Exception {
    return loader.parse(read(fixture), fixture);
  }

  private static String read(String fixture) throws IOException {
    try (InputStream in = ContainerAuthConfigTest.class.getResourceAsStream("/config/" + fixture)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void absentKeysMeanApiKeysForClientsAndKeyForManagement() throws Exception {
    GatewayConfig config = loader.parse("api-keys: [\"k-000000001\"]\n", "inline");
    assertEquals(ClientAuthConfig.DEFAULT, config.clientAuth());
    assertEquals(ManagementAuth.KEY, config.remoteManagement().auth());
    assertEquals("llm-proxy-admin", config.remoteManagement().role());
    assertFalse(config.remoteManagement().enabled(), "no secret and key auth: management stays off");
    assertFalse(config.isOpenAccess());
  }

  @Test
  void validContainerSettingsAreBound() throws Exception {
    GatewayConfig config = load("container-auth-valid.yaml");
    assertEquals(new ClientAuthConfig(ClientAuthConfig.Mode.BOTH, "llm-proxy-user"), config.clientAuth());
    assertEquals(ManagementAuth.KEY_OR_CONTAINER, config.remoteManagement().auth());
    assertEquals("gateway-admins", config.remoteManagement().role());
    assertTrue(config.remoteManagement().enabled(), "the container can vouch even without a secret-key");
    assertEquals(List.of(), config.warnings());
  }

  @Test
  void unknownModesAreErrorsThatListTheChoices() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("container-auth-typos.yaml"));
    assertEquals("""
        container-auth-typos.yaml has the following errors:
          * remote-management.auth: unknown value 'sso'; expected one of key, container, key-or-container, \
        key-and-container
          * client-auth: unknown value 'containr'; expected one of api-key, container, both""", e.getMessage());
  }

  @Test
  void keyAndContainerNeedsASecretKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> load("container-auth-key-and-container-without-secret.yaml"));
    assertEquals("""
        container-auth-key-and-container-without-secret.yaml has an error:
          * remote-management.secret-key: is required when remote-management.auth is key-and-container""",
        e.getMessage());
  }

  @Test
  void emptyRolesAreErrors() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("container-auth-empty-roles.yaml"));
    assertEquals("""
        container-auth-empty-roles.yaml has the following errors:
          * remote-management.role: must not be empty; leave it out for the default 'llm-proxy-admin'
          * client-role: must not be empty; leave it out to accept any signed-in user""", e.getMessage());
  }

  @Test
  void settingsWithoutEffectAreWarnings() throws Exception {
    GatewayConfig config = load("container-auth-ineffective.yaml");
    assertEquals(List.of(
        "remote-management.role: has no effect while remote-management.auth is key",
        "api-keys: are not accepted while client-auth is container (use both to accept them too)"),
        config.warnings());
    assertEquals(List.of("client-role: has no effect while client-auth is api-key"),
        load("container-auth-role-without-container.yaml").warnings());
  }

  @Test
  void openAccessOnlyWithApiKeyModeAndNoKeys() throws Exception {
    assertTrue(loader.parse("{}", "inline").isOpenAccess());
    assertFalse(loader.parse("client-auth: both\n", "inline").isOpenAccess(),
        "both without api-keys admits signed-in users only");
    assertFalse(loader.parse("client-auth: container\n", "inline").isOpenAccess());
  }

  @Test
  void toStringHidesTheManagementSecret() throws Exception {
    String text = load("container-auth-ineffective.yaml").remoteManagement().toString();
    assertFalse(text.contains("management-secret-0001"), text);
    assertTrue(text.contains("<redacted>"), text);
  }
}
