package dev.llmproxy.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.config.GatewayConfig;
import dev.llmproxy.testing.LogCapture;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ManagementSaveCheckTest {
  private static GatewayConfig config(String yaml) throws Exception {
    return new ConfigLoader(name -> null).parse(yaml, "t");
  }

  @Test
  void saysWhatToRunOnceWhileManagementIsOnAndTheFileCannotBeSaved() throws Exception {
    AtomicReference<String> problem = new AtomicReference<>("/etc/x is not writable ... Run: sudo chown -R tomcat: /etc/x");
    ManagementSaveCheck check = new ManagementSaveCheck(problem::get);
    GatewayConfig on = config("remote-management:\n  secret-key: s\n");
    try (LogCapture log = new LogCapture()) {
      check.accept(config("debug: true\n"));
      check.accept(on);
      check.accept(on);
      problem.set(null);
      check.accept(on);
      problem.set("/etc/x is not writable again");
      check.accept(on);

      List<String> warnings = log.lines().stream().filter(l -> l.contains("cannot save changes")).toList();
      assertEquals(2, warnings.size(), warnings.toString());
      assertEquals(true, warnings.get(0).contains("Run: sudo chown -R tomcat: /etc/x"), warnings.get(0));
    }
  }
}
