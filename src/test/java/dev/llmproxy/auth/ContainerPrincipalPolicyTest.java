package dev.llmproxy.auth;

import static dev.llmproxy.auth.ContainerPrincipalPolicy.ClientVerdict;
import static dev.llmproxy.auth.ContainerPrincipalPolicy.ManagementVerdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.llmproxy.config.ClientAuthConfig;
import dev.llmproxy.config.ClientAuthConfig.Mode;
import dev.llmproxy.config.RemoteManagementConfig;
import dev.llmproxy.config.RemoteManagementConfig.ManagementAuth;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContainerPrincipalPolicyTest {

  /** A request as the container presents it: {@code user == null} means nobody signed in. */
  static HttpServletRequest request(String user, String... roles) {
    HttpServletRequest request = mock(HttpServletRequest.class);
    when(request.getUserPrincipal()).thenReturn(user == null ? null : () -> user);
    Set<String> granted = Set.of(roles);
    when(request.isUserInRole(org.mockito.ArgumentMatchers.anyString()))
        .thenAnswer(inv -> user != null && granted.contains(inv.getArgument(0, String.class)));
    return request;
  }

  private static RemoteManagementConfig management(ManagementAuth auth) {
    return new RemoteManagementConfig("secret-key-0001", false, auth, "", null, null);
  }

  @Test
  void keyModeIgnoresTheContainerEvenForAdmins() {
    assertEquals(ManagementVerdict.CHECK_KEY,
        ContainerPrincipalPolicy.management(request("alice", "llm-proxy-admin"), management(ManagementAuth.KEY)));
  }

  @Test
  void containerModeGrantsTheRoleAndForbidsEveryoneElse() {
    RemoteManagementConfig config = management(ManagementAuth.CONTAINER);
    assertEquals(ManagementVerdict.GRANTED,
        ContainerPrincipalPolicy.management(request("alice", "llm-proxy-admin"), config));
    assertEquals(ManagementVerdict.FORBIDDEN, ContainerPrincipalPolicy.management(request("bob", "user"), config));
    assertEquals(ManagementVerdict.FORBIDDEN, ContainerPrincipalPolicy.management(request(null), config));
  }

  @Test
  void keyOrContainerFallsBackToTheKeyForOthers() {
    RemoteManagementConfig config = management(ManagementAuth.KEY_OR_CONTAINER);
    assertEquals(ManagementVerdict.GRANTED,
        ContainerPrincipalPolicy.management(request("alice", "llm-proxy-admin"), config));
    assertEquals(ManagementVerdict.CHECK_KEY, ContainerPrincipalPolicy.management(request("bob"), config));
    assertEquals(ManagementVerdict.CHECK_KEY, ContainerPrincipalPolicy.management(request(null), config));
  }

  @Test
  void keyAndContainerDemandsTheRoleThenTheKey() {
    RemoteManagementConfig config = management(ManagementAuth.KEY_AND_CONTAINER);
    assertEquals(ManagementVerdict.CHECK_KEY,
        ContainerPrincipalPolicy.management(request("alice", "llm-proxy-admin"), config));
    assertEquals(ManagementVerdict.FORBIDDEN, ContainerPrincipalPolicy.management(request("bob"), config));
  }

  @Test
  void managementRoleIsConfigurable() {
    RemoteManagementConfig config = new RemoteManagementConfig("", false, ManagementAuth.CONTAINER, "ops", null, null);
    assertEquals(ManagementVerdict.GRANTED, ContainerPrincipalPolicy.management(request("carol", "ops"), config));
    assertEquals(ManagementVerdict.FORBIDDEN,
        ContainerPrincipalPolicy.management(request("alice", "llm-proxy-admin"), config));
  }

  @Test
  void apiKeyModeNeverLooksAtThePrincipal() {
    assertEquals(ClientVerdict.CHECK_API_KEY,
        ContainerPrincipalPolicy.client(request("alice"), ClientAuthConfig.DEFAULT, false));
  }

  @Test
  void containerModeAdmitsSignedInUsersOnly() {
    ClientAuthConfig anyUser = new ClientAuthConfig(Mode.CONTAINER, "");
    assertEquals(ClientVerdict.GRANTED, ContainerPrincipalPolicy.client(request("alice"), anyUser, false));
    assertEquals(ClientVerdict.NOT_SIGNED_IN, ContainerPrincipalPolicy.client(request(null), anyUser, true));
    ClientAuthConfig role = new ClientAuthConfig(Mode.CONTAINER, "llm-proxy-user");
    assertEquals(ClientVerdict.FORBIDDEN, ContainerPrincipalPolicy.client(request("bob"), role, true));
    assertEquals(ClientVerdict.GRANTED,
        ContainerPrincipalPolicy.client(request("alice", "llm-proxy-user"), role, false));
  }

  @Test
  void bothModeLetsMachinesUseKeysAndTellsUsersWithoutRoleWhy() {
    ClientAuthConfig both = new ClientAuthConfig(Mode.BOTH, "llm-proxy-user");
    assertEquals(ClientVerdict.GRANTED,
        ContainerPrincipalPolicy.client(request("alice", "llm-proxy-user"), both, false));
    assertEquals(ClientVerdict.CHECK_API_KEY, ContainerPrincipalPolicy.client(request(null), both, false));
    assertEquals(ClientVerdict.CHECK_API_KEY, ContainerPrincipalPolicy.client(request("bob"), both, true));
    assertEquals(ClientVerdict.FORBIDDEN, ContainerPrincipalPolicy.client(request("bob"), both, false));
  }
}
