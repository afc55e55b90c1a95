package dev.llmproxy.management;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a GET shows: secrets masked, or in clear for {@code ?reveal=true}, in which case the access
 * (who, which resource; never the values) is logged at warn level. Stateless.
 */
final class ManagementView {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementView.class);

  private ManagementView() {}

  static Object of(Object plain, boolean reveal, HttpServletRequest request) {
    if (!reveal) {
      return SecretMasking.mask(plain);
    }
    logReveal(request);
    return plain;
  }

  static void logReveal(HttpServletRequest request) {
    LOG.warn("Management secrets revealed in clear: {} {} to {}", request.getMethod(), request.getRequestURI(),
        request.getRemoteAddr());
  }
}
