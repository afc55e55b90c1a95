package dev.llmproxy.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WhoAmIResourceTest {
  private static HttpServletRequest request(String signedInBy, String user) {
    HttpServletRequest request = mock(HttpServletRequest.class);
    when(request.getAttribute(ManagementAuthFilter.SIGNED_IN_BY)).thenReturn(signedInBy);
    when(request.getUserPrincipal()).thenReturn(user == null ? null : () -> user);
    return request;
  }

  private static Map<String, Object> expected(String auth, String user, String version) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("auth", auth);
    body.put("user", user);
    body.put("version", version);
    return body;
  }

  @Test
  void aContainerUserIsNamed() {
    assertEquals(expected("container", "alice", "1.2.3"),
        new WhoAmIResource("1.2.3").get(request("container", "alice")));
  }

  @Test
  void theKeyAloneHasNoUser() {
    assertEquals(expected("key", null, "1.2.3"), new WhoAmIResource("1.2.3").get(request("key", null)));
  }

  @Test
  void theVersionComesFromTheWarsMavenDescriptor() {
    ServletContext war = mock(ServletContext.class);
    when(war.getResourceAsStream(ManagementApi.POM_PROPERTIES)).thenReturn(new ByteArrayInputStream(
        "artifactId=llm-proxy\nversion=2.0.1\n".getBytes(StandardCharsets.ISO_8859_1)));
    assertEquals("2.0.1", ManagementApi.version(war));

    assertEquals(ManagementApi.UNKNOWN_VERSION, ManagementApi.version(mock(ServletContext.class)),
        "run from the source tree");
  }
}
