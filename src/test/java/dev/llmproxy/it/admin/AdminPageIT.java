package dev.llmproxy.it.admin;

import static dev.llmproxy.it.admin.AdminPage.CLEAR_SECRETS;
import static dev.llmproxy.it.admin.AdminPage.MAIN_KEY_1;
import static dev.llmproxy.it.admin.AdminPage.MAIN_KEY_2;
import static dev.llmproxy.it.admin.AdminPage.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.it.GatewayClient;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.HeadlessBrowser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The admin page in a real browser (headless Chromium), on a gateway deployed at {@code /gw} so every
 * URL the page uses must be relative: sign-in, the provider list, edits that the gateway runs at once,
 * a refused edit, raw config.yaml, client keys, a phone-sized window, and management turned off. Each
 * test gets a fresh gateway (a fresh origin, so nothing of the last test's tab survives) and ends
 * with a clean browser console.
 */
class AdminPageIT {
  @RegisterExtension
  @Order(1)
  static final FakeUpstream upstream = new FakeUpstream();

  @RegisterExtension
  @Order(2)
  static final HeadlessBrowser browser = new HeadlessBrowser();

  @RegisterExtension
  @Order(3)
  final GatewayServer gateway = GatewayServer.builder().contextPath("/gw")
      .config(() -> AdminPage.config(upstream.baseUrl())).build();

  /** Management statuses a test provokes on purpose; the first whoami of a fresh tab is always a 401. */
  private final Set<Integer> provoked = new HashSet<>(Set.of(401));
  private AdminPage page;

  private AdminPage page() {
    if (page == null) {
      page = new AdminPage(browser, gateway);
    }
    return page;
  }

  /** Every test leaves its last screen in target/admin-screenshots (for failures, too) and a clean console. */
  @AfterEach
  void screenshotAndConsole(TestInfo test) {
    browser.screenshot("end-of-" + test.getTestMethod().orElseThrow().getName());
    page().assertCleanConsole(provoked);
  }

  @Test
  void signInKeepsTheKeyInThisTabOnly() {
    AdminPage page = page().open();
    WebElement key = page.visible(By.id("management-key"));
    assertEquals(key, page.focused(), "the key field has the focus");
    key.sendKeys("not-the-key", Keys.ENTER);
    page.awaitText(By.id("sign-in-error"), "not accepted");

    page.visible(By.id("management-key")).sendKeys(SECRET, Keys.ENTER);
    page.visible(By.id("view-providers"));
    assertEquals("Signed in with the management key", page.visible(By.id("who")).getText());
    assertTrue(page.driver().findElement(By.id("version")).getText().startsWith("version "));
    assertEquals(SECRET, browser.script("return sessionStorage.getItem('llmproxy.admin.management-key')"));
    assertEquals(0L, browser.script("return localStorage.length"));
    assertFalse(page.driver().getCurrentUrl().contains(SECRET));
    browser.screenshot("signed-in");

    page.driver().findElement(By.id("sign-out")).click();
    page.visible(By.id("management-key"));
    assertNull(browser.script("return sessionStorage.getItem('llmproxy.admin.management-key')"));
  }
}
