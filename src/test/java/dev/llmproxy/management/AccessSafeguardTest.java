package dev.llmproxy.management;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.config.ConfigException;
import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.config.GatewayConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessSafeguardTest {
  private static final ConfigLoader LOADER = new ConfigLoader(Map.<String, String>of()::get);
  private static final String KEYS = "api-keys: [\"client-key-0001-aaaa\"]\n";
  private static final String SECRET = "remote-management:\n  secret-key: \"mgmt-secret-1\"\n";
  private static final String MANAGEMENT_OFF = "remote-management.secret-key: the change leaves it empty while "
      + "remote-management.auth needs it, which switches management off, and it could not be switched on again "
      + "through this API; to do this on purpose, edit config.yaml by hand (the gateway applies the saved file on "
      + "its own)";
  private static final String OPEN = "api-keys: the change leaves no client key while client-auth is api-key, which "
      + "lets anyone call /v1 without a key; to do this on purpose, edit config.yaml by hand (the gateway applies "
      + "the saved file on its own)";

  private static GatewayConfig config(String yaml) throws ConfigException {
    return LOADER.parse(yaml, "config.yaml");
  }

  private static List<String> problems(String running, String updated) throws ConfigException {
    return AccessSafeguard.problems(config(running), config(updated));
  }

  @Test
  void removingTheSecretManagementDependsOnSwitchesItOffAndIsRefused() throws ConfigException {
    assertEquals(List.of(MANAGEMENT_OFF), problems(KEYS + SECRET, KEYS));
    assertEquals(List.of(MANAGEMENT_OFF), problems(KEYS + SECRET, KEYS + "remote-management:\n  secret-key: \"\"\n"));
  }

  @Test
  void removingTheSecretIsAllowedWhileTheContainerAloneCanSignAdministratorsIn() throws ConfigException {
    String containerToo = "remote-management:\n  auth: key-or-container\n";

    assertEquals(List.of(), problems(KEYS + SECRET + "  auth: key-or-container\n", KEYS + containerToo));
  }

  @Test
  void leavingContainerSignInForAKeyThatIsNotSetSwitchesManagementOff() throws ConfigException {
    String container = "remote-management:\n  auth: container\n";

    assertEquals(List.of(MANAGEMENT_OFF), problems(KEYS + container, KEYS + "remote-management:\n  auth: key\n"));
  }

  @Test
  void managementThatIsOffMayStayOff() throws ConfigException {
    assertEquals(List.of(), problems(KEYS, KEYS + "debug: true\n"));
  }

  @Test
  void removingTheLastClientKeyOpensTheGatewayAndIsRefused() throws ConfigException {
    assertEquals(List.of(OPEN), problems(KEYS + SECRET, SECRET));
    assertEquals(List.of(OPEN), problems(KEYS + SECRET, "api-keys: []\n" + SECRET));
  }

  @Test
  void leavingContainerAuthenticationForKeysWithoutKeysOpensTheGatewayAndIsRefused() throws ConfigException {
    assertEquals(List.of(OPEN), problems("client-auth: container\n" + SECRET, "client-auth: api-key\n" + SECRET));
  }

  @Test
  void noClientKeysWithContainerAuthenticationIsNotOpen() throws ConfigException {
    assertEquals(List.of(), problems(KEYS + SECRET, "client-auth: container\n" + SECRET));
  }

  @Test
  void anOpenGatewayMayStayOpen() throws ConfigException {
    assertEquals(List.of(), problems(SECRET, SECRET + "debug: true\n"));
  }

  @Test
  void bothAreReportedTogether() throws ConfigException {
    assertEquals(List.of(MANAGEMENT_OFF, OPEN), problems(KEYS + SECRET, "debug: true\n"));
  }

  @Test
  void nothingIsRefusedWhileNoConfigRuns() throws ConfigException {
    assertEquals(List.of(), AccessSafeguard.problems(null, config("debug: true\n")));
  }
}
