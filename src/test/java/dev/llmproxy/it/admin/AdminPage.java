package dev.llmproxy.it.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.it.UpstreamAndGateway;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.HeadlessBrowser;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The admin page as the browser tests drive it: open, sign in, switch views, find a provider's card,
 * and check the console. Also the gateway config those tests share. Not thread-safe (one test thread).
 */
final class AdminPage {
  static final String SECRET = "admin-page-secret-42";
  static final String MAIN_KEY_1 = "sk-main-first-0123456789-aaaa";
  static final String MAIN_KEY_2 = "sk-main-second-0123456789-bbbb";
  static final String SPARE_KEY = "sk-spare-only-0123456789-cccc";
  static final String CLIENT_KEY_2 = "sk-client-second-0123456789-dddd";
  static final List<String> CLEAR_SECRETS = List.of(SECRET, MAIN_KEY_1, MAIN_KEY_2, SPARE_KEY, CLIENT_KEY_2);

  private static final Pattern STATUS = Pattern.compile("status of (\\d{3})");

  private final HeadlessBrowser browser;
  private final GatewayServer gateway;

  AdminPage(HeadlessBrowser browser, GatewayServer gateway) {
    this.browser = browser;
    this.gateway = gateway;
  }

  /**
   * A gateway at {@code /gw} with {@link #config} for its own fake upstream; in an instance field, both start
   * afresh for each test.
   */
  static UpstreamAndGateway newSetup() {
    return new UpstreamAndGateway(gateway -> gateway.contextPath("/gw"), upstream -> config(upstream.baseUrl()));
  }

  /**
   * Two providers: {@code main} (two keys, the second leaving {@code direct} with weight 2; models
   * chat-a and chat-b) and {@code spare} (prefix {@code backup}, one key, chat-a again: a pool of two).
   */
  static String config(String upstreamUrl) {
    return """
        # admin page test config
        api-keys:
          - "team-key-1"
          - "%s"
        remote-management:
          secret-key: "%s"
        openai-compatibility:
          - name: main
            base-url: %s
            request-retry: 0
            api-key-entries:
              - api-key: "%s"
              - api-key: "%s"
                proxy-url: direct
                weight: 2
            models:
              - name: up-a
                alias: chat-a
              - name: up-b
                alias: chat-b
          - name: spare
            prefix: backup
            base-url: %s
            api-key-entries:
              - api-key: "%s"
            models:
              - name: up-spare
                alias: chat-a
        """.formatted(CLIENT_KEY_2, SECRET, upstreamUrl, MAIN_KEY_1, MAIN_KEY_2, upstreamUrl, SPARE_KEY);
  }

  WebDriver driver() {
    return browser.driver();
  }

  /** Loads {@code <context>/admin/} (the directory URL, as an operator types it). */
  AdminPage open() {
    driver().get(gateway.baseUrl() + "/admin/");
    return this;
  }

  /** Opens the page and signs in with the management key typed and Enter pressed. */
  AdminPage signedIn() {
    open();
    WebElement key = visible(By.id("management-key"));
    key.sendKeys(SECRET, Keys.ENTER);
    visible(By.id("tabs"));
    visible(By.id("view-providers"));
    browser.await(d -> !d.findElements(By.cssSelector("#provider-list article")).isEmpty());
    return this;
  }

  /** Follows the navigation link with the keyboard (focus it, press Enter) and waits for the view. */
  WebElement view(String name, String linkText) {
    WebElement link = driver().findElement(By.linkText(linkText));
    link.sendKeys(Keys.ENTER);
    return visible(By.id("view-" + name));
  }

  WebElement visible(By by) {
    return browser.await(ExpectedConditions.visibilityOfElementLocated(by));
  }

  /** Clicks the element once it shows, finding it again if the page redrew it meanwhile. */
  void click(By by) {
    browser.await(d -> {
      WebElement element = d.findElement(by);
      if (!element.isDisplayed()) {
        return false;
      }
      element.click();
      return true;
    });
  }

  WebElement card(String provider) {
    return visible(By.cssSelector("#provider-list article[data-provider='" + provider + "']"));
  }

  /** Waits until the element's text contains {@code text}, and answers the element. */
  WebElement awaitText(By by, String text) {
    browser.await(ExpectedConditions.textToBePresentInElementLocated(by, text));
    return driver().findElement(by);
  }

  /** The element that has the keyboard focus. */
  WebElement focused() {
    return driver().switchTo().activeElement();
  }

  String value(WebElement input) {
    return input.getDomProperty("value");
  }

  /**
   * Checks the browser console since the test began: no JavaScript error, no Content-Security-Policy
   * refusal, no failed load, except management answers with the statuses the test provoked on
   * purpose (Chrome logs every 4xx of a fetch as a failed load).
   */
  /**
   * Ends a test: leaves its last screen in target/admin-screenshots (for failures, too) and checks the console
   * ({@link #assertCleanConsole}).
   */
  void finish(TestInfo test, Set<Integer> provokedStatuses) {
    browser.screenshot("end-of-" + test.getTestMethod().orElseThrow().getName());
    assertCleanConsole(provokedStatuses);
  }

  void assertCleanConsole(Set<Integer> provokedStatuses) {
    Set<String> unexpected = new TreeSet<>();
    for (String error : browser.consoleErrors()) {
      Matcher status = STATUS.matcher(error);
      boolean provoked = error.contains("/v0/management/") && status.find()
          && provokedStatuses.contains(Integer.parseInt(status.group(1)));
      if (!provoked) {
        unexpected.add(error);
      }
    }
    assertEquals(Set.of(), unexpected, "console errors");
  }
}
