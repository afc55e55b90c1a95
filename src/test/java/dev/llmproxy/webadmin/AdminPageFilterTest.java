package dev.llmproxy.webadmin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

class AdminPageFilterTest {
  private final Map<String, String> headers = new HashMap<>();

  private void serve(String uri) throws Exception {
    HttpServletRequest request = mock(HttpServletRequest.class);
    when(request.getRequestURI()).thenReturn(uri);
    HttpServletResponse response = mock(HttpServletResponse.class);
    Mockito.doAnswer(call -> headers.put(call.getArgument(0), call.getArgument(1)))
        .when(response).setHeader(Mockito.anyString(), Mockito.anyString());
    FilterChain chain = mock(FilterChain.class);
    new AdminPageFilter().doFilter(request, response, chain);
    verify(chain).doFilter(request, response);
  }

  @Test
  void thePageGetsAStrictPolicyAndIsNeverCached() throws Exception {
    serve("/llm-proxy/admin/");

    String csp = headers.get("Content-Security-Policy");
    assertTrue(csp.startsWith("default-src 'self'; script-src 'self'; style-src 'self';"), csp);
    assertTrue(csp.endsWith("frame-ancestors 'none'"), csp);
    assertFalse(csp.contains("unsafe"), csp);
    assertEquals("nosniff", headers.get("X-Content-Type-Options"));
    assertEquals("no-referrer", headers.get("Referrer-Policy"));
    assertEquals("DENY", headers.get("X-Frame-Options"));
    assertEquals("no-store", headers.get("Cache-Control"));
  }

  @Test
  void scriptsAndStylesAreRevalidatedRatherThanNeverStored() throws Exception {
    serve("/admin/js/app.js");

    assertEquals("no-cache", headers.get("Cache-Control"));
    assertEquals(AdminPageFilter.CONTENT_SECURITY_POLICY, headers.get("Content-Security-Policy"));
  }

  @Test
  void htmlFilesAndTheBareDirectoryCountAsThePage() {
    assertTrue(AdminPageFilter.isPage("/admin"));
    assertTrue(AdminPageFilter.isPage("/gw/admin/index.html"));
    assertFalse(AdminPageFilter.isPage("/gw/admin/admin.css"));
  }
}
