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
import dev.llmproxy.it.UpstreamAndGateway;
import dev.llmproxy.it.sso.HeaderSsoFilter;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.HeadlessBrowser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
  static final HeadlessBrowser browser = new HeadlessBrowser();

  @RegisterExtension
  @Order(2)
  final UpstreamAndGateway setup = AdminPage.newSetup();
  final FakeUpstream upstream = setup.upstream();
  final GatewayServer gateway = setup.gateway();

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
    page().finish(test, provoked);
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

  @Test
  void aKeyThatStopsWorkingSendsTheOperatorBackToSignInAndWipesThePage() {
    AdminPage page = page().signedIn();
    page.click(By.cssSelector("#provider-list article[data-provider='main'] button[aria-label='Reveal key 1 of main']"));
    page.awaitText(By.cssSelector("article[data-provider='main'] table.keys"), MAIN_KEY_1);
    page.view("status", "Live status");
    page.awaitText(By.id("status-summary"), "ready");

    gateway.writeConfig(AdminPage.config(upstream.baseUrl()).replace(SECRET, "a-rotated-management-key"));

    // The live view's next refresh gets the 401.
    page.awaitText(By.id("sign-in-error"), "no longer accepted");
    assertEquals(page.driver().findElement(By.id("management-key")), page.focused());
    assertNull(browser.script("return sessionStorage.getItem('llmproxy.admin.management-key')"));
    assertNoClearSecretIn(page.driver().getPageSource());
    assertEquals(0L, browser.script("return document.querySelectorAll('#provider-list *').length"));
  }

  @Test
  void providersAreListedWithPoolsProxiesAndKeysMaskedUntilOneIsRevealed() {
    AdminPage page = page().signedIn();
    WebElement main = page.card("main");
    String text = main.getText();
    assertTrue(text.contains(upstream.baseUrl()), text);
    assertTrue(text.contains("chat-a") && text.contains("pool of 2") && text.contains("up-b"), text);
    List<WebElement> keys = main.findElements(By.cssSelector("table.keys tbody tr"));
    assertEquals(List.of("sk-m...aaaa default 1 Reveal", "sk-m...bbbb direct 2 Reveal"),
        keys.stream().map(WebElement::getText).toList());
    assertTrue(page.card("spare").getText().contains("backup/chat-a"));
    assertNoClearSecretIn(page.driver().getPageSource());

    main.findElement(By.cssSelector("button[aria-label='Reveal key 2 of main']")).click();
    page.awaitText(By.cssSelector("article[data-provider='main'] table.keys tbody tr:nth-child(2) td"), MAIN_KEY_2);
    String source = page.driver().getPageSource();
    assertFalse(source.contains(MAIN_KEY_1) || source.contains(AdminPage.SPARE_KEY), "only the asked key is shown");
    browser.screenshot("revealed-key");

    WebElement hide = main.findElement(By.cssSelector("button[aria-label='Reveal key 2 of main']"));
    assertEquals("Hide", hide.getText());
    hide.click();
    assertNoClearSecretIn(page.driver().getPageSource());
  }

  @Test
  void anEditedProviderIsLiveInModelsAndItsMaskedKeysStayStored() throws Exception {
    AdminPage page = page().signedIn();
    page.click(By.cssSelector("#provider-list article[data-provider='main'] button[aria-label='Edit provider main']"));
    WebElement form = page.visible(By.cssSelector("form.provider-form"));
    assertEquals("main", page.value(page.focused()), "the form opens on the name field");
    WebElement models = form.findElement(By.cssSelector("fieldset[data-path='models']"));
    models.findElement(By.xpath("./button[text()='Add model']")).click();
    page.focused().sendKeys("up-c");
    WebElement alias = models.findElement(By.cssSelector("input[data-path='models[2].alias']"));
    alias.sendKeys("chat-c");
    browser.screenshot("edit-provider");
    form.findElement(By.xpath(".//button[text()='Save changes']")).click();

    page.awaitText(By.id("provider-form-slot"), "Saved main");
    page.awaitText(By.cssSelector("article[data-provider='main']"), "chat-c");
    String models2 = new GatewayClient(gateway).get("/v1/models").body();
    assertTrue(models2.contains("\"chat-c\""), models2);
    String file = Files.readString(configFile());
    assertTrue(file.contains("alias: chat-c"), file);
    assertTrue(file.contains(MAIN_KEY_1) && file.contains(MAIN_KEY_2), "masked keys sent back keep the stored ones");
    assertTrue(file.contains("# admin page test config"), "comments stay");
  }

  @Test
  void anAddedProviderServesItsModelsAtOnce() throws Exception {
    AdminPage page = page().signedIn();
    page.driver().findElement(By.id("provider-add")).click();
    WebElement form = page.visible(By.cssSelector("form.provider-form"));
    page.focused().sendKeys("third");
    form.findElement(By.cssSelector("input[data-path='base-url']")).sendKeys(upstream.baseUrl());
    form.findElement(By.cssSelector("input[data-path='prefix']")).sendKeys("t3");
    form.findElement(By.xpath(".//button[text()='Add model']")).click();
    page.focused().sendKeys("up-third", Keys.TAB, "chat-third");
    form.findElement(By.xpath(".//button[text()='Add key']")).click();
    page.focused().sendKeys("sk-third-0123456789-eeee", Keys.TAB, "direct");
    form.findElement(By.xpath(".//button[text()='Add provider']")).click();

    page.awaitText(By.id("provider-form-slot"), "Added third");
    assertTrue(page.card("third").getText().contains("sk-t...eeee"), page.card("third").getText());
    String models = new GatewayClient(gateway).get("/v1/models").body();
    assertTrue(models.contains("\"t3/chat-third\""), models);
    String file = Files.readString(configFile());
    assertTrue(file.contains("sk-third-0123456789-eeee") && file.contains(MAIN_KEY_1) && file.contains(MAIN_KEY_2),
        "the new key in clear, the others kept while the list went back masked");
  }

  @Test
  void disablingAndDeletingAProviderTakeEffectAtOnce() throws Exception {
    AdminPage page = page().signedIn();
    page.click(By.cssSelector("#provider-list article[data-provider='spare'] button[aria-label='Disable provider spare']"));
    page.awaitText(By.cssSelector("article[data-provider='spare'] h3"), "disabled");
    assertFalse(new GatewayClient(gateway).get("/v1/models").body().contains("backup/chat-a"));

    page.click(By.cssSelector("#provider-list article[data-provider='spare'] button[aria-label='Delete provider spare']"));
    WebElement dialog = page.visible(By.id("confirm-dialog"));
    assertEquals("confirm-cancel", page.focused().getAttribute("id"), "the safe choice has the focus");
    dialog.findElement(By.id("confirm-ok")).click();
    browser.await(d -> d.findElements(By.cssSelector("article[data-provider='spare']")).isEmpty());
    assertFalse(Files.readString(configFile()).contains("name: spare"));
  }

  @Test
  void aRefusedEditShowsEachProblemNextToItsFieldAndKeepsWhatWasTyped() throws Exception {
    provoked.add(422);
    String before = Files.readString(configFile());
    AdminPage page = page().signedIn();
    page.click(By.cssSelector("#provider-list article[data-provider='main'] button[aria-label='Edit provider main']"));
    WebElement form = page.visible(By.cssSelector("form.provider-form"));
    WebElement baseUrl = form.findElement(By.cssSelector("input[data-path='base-url']"));
    baseUrl.clear();
    baseUrl.sendKeys("ftp://nowhere");
    WebElement weight = form.findElement(By.cssSelector("input[data-path='api-key-entries[0].weight']"));
    weight.sendKeys("-1");
    WebElement prefix = form.findElement(By.cssSelector("input[data-path='prefix']"));
    prefix.sendKeys("edited");
    form.findElement(By.xpath(".//button[text()='Save changes']")).click();

    WebElement summary = page.visible(By.cssSelector("form.provider-form .problems"));
    assertTrue(summary.getText().contains("refused this change (2 problems)"), summary.getText());
    assertEquals(summary, page.focused(), "the problem summary takes the focus");
    assertEquals("true", baseUrl.getAttribute("aria-invalid"));
    assertEquals("'ftp://nowhere' must start with http:// or https://", describedBy(page, baseUrl));
    assertEquals("true", weight.getAttribute("aria-invalid"));
    assertEquals("-1 is out of range; expected 0 to 1000000", describedBy(page, weight));
    assertTrue(summary.getText().contains("openai-compatibility[0].base-url: 'ftp://nowhere' must start with"),
        summary.getText());
    assertEquals("ftp://nowhere", page.value(baseUrl));
    assertEquals("-1", page.value(weight));
    assertEquals("edited", page.value(prefix));
    browser.screenshot("refused-edit");
    assertEquals(before, Files.readString(configFile()), "nothing was written");
    assertFalse(new GatewayClient(gateway).get("/v1/models").body().contains("edited/"));
  }

  @Test
  void rawConfigYamlIsShownMaskedAndSavedWithTheSameValidation() throws Exception {
    provoked.add(422);
    AdminPage page = page().signedIn();
    page.view("config", "config.yaml");
    WebElement text = page.visible(By.id("config-text"));
    browser.await(d -> page.value(text).contains("openai-compatibility"));
    assertTrue(page.value(text).contains("# admin page test config"), "the file as written, comments kept");
    assertNoClearSecretIn(page.value(text));

    setValue(text, page.value(text) + "request-retry: -1\n");
    page.driver().findElement(By.id("config-save")).click();
    page.awaitText(By.id("config-problems"), "request-retry: -1 is out of range; expected 0 to 100");
    assertTrue(page.value(text).endsWith("request-retry: -1\n"), "the edit is kept");
    assertFalse(Files.readString(configFile()).contains("request-retry: -1"));
    browser.screenshot("config-yaml-refused");

    String secretLine = secretLine(Files.readString(configFile()));
    setValue(text, page.value(text).replace("request-retry: -1", "request-retry: 2"));
    page.driver().findElement(By.id("config-save")).click();
    page.awaitText(By.id("config-problems"), "Saved.");
    String file = Files.readString(configFile());
    assertTrue(file.contains("request-retry: 2"), file);
    assertTrue(file.contains(MAIN_KEY_1) && !file.contains("sk-m...aaaa"), "masked keys keep their stored values");
    assertEquals(secretLine, secretLine(file), "the management secret's hash is kept");
  }

  @Test
  void clientKeysAreListedMaskedAndACreatedKeyWorksAtOnceWithOnlyItsHashStored() throws Exception {
    AdminPage page = page().signedIn();
    page.view("keys", "Client keys");
    WebElement table = page.visible(By.id("client-keys"));
    assertEquals(2, table.findElements(By.cssSelector("tbody tr")).size());
    assertTrue(table.getText().contains("sk-c...dddd"), table.getText());
    assertNoClearSecretIn(page.driver().getPageSource());
    WebElement create = page.driver().findElement(By.id("key-create"));
    browser.await(d -> create.isEnabled());

    page.driver().findElement(By.id("key-name")).sendKeys("ci-bot");
    page.driver().findElement(By.id("key-models")).sendKeys("chat-a");
    page.driver().findElement(By.id("key-rpm")).sendKeys("30");
    page.driver().findElement(By.id("key-tpm")).sendKeys("9000");
    page.driver().findElement(By.id("key-parallel")).sendKeys("3");
    create.click();
    String key = page.value(page.visible(By.id("new-key-value")));
    page.driver().findElement(By.id("new-key-done")).click();
    assertEquals(200, new GatewayClient(gateway, key).chat("chat-a").statusCode(), "works at once");
    assertEquals(403, new GatewayClient(gateway, key).chat("chat-b").statusCode(), "with the models given");
    String file = Files.readString(configFile());
    assertFalse(file.contains(key), "only the hash is stored");
    assertTrue(file.contains("tpm: 9000") && file.contains("max-parallel-requests: 3"), "with its limits: " + file);
    browser.await(d -> d.findElements(By.cssSelector("#client-keys tbody tr")).size() == 3);
    page.view("providers", "Providers");
    page.view("keys", "Client keys");
    browser.await(d -> d.findElement(By.id("client-keys")).getText().contains("requests/min 1 / 30"));

    page.click(By.cssSelector("#client-keys button[aria-label='Delete client key sk-c...dddd']"));
    page.visible(By.id("confirm-ok")).click();
    browser.await(d -> d.findElements(By.cssSelector("#client-keys tbody tr")).size() == 2);
    assertFalse(Files.readString(configFile()).contains(AdminPage.CLIENT_KEY_2));
  }

  @Test
  void aKeysLimitsAreEditedAndItIsDisabledAndEnabledFromThePage() throws Exception {
    AdminPage page = page().signedIn();
    page.view("keys", "Client keys");
    page.click(By.cssSelector("#client-keys button[aria-label='Edit the limits of client key team...ey-1']"));
    WebElement rpm = page.visible(By.id("edit-rpm"));
    rpm.sendKeys("1");
    page.driver().findElement(By.id("edit-parallel")).sendKeys("4");
    browser.script("document.getElementById('edit-expires').value = '2099-01-02'");
    page.driver().findElement(By.id("key-edit-save")).click();
    browser.await(d -> !d.findElement(By.id("key-edit-dialog")).isDisplayed());
    browser.await(d -> d.findElement(By.id("client-keys")).getText().contains("requests/min 1"));
    browser.await(d -> d.findElement(By.id("client-keys")).getText().matches("(?s).*open at once (0 / )?4.*"));
    String file = Files.readString(configFile());
    assertTrue(file.contains("rpm: 1") && file.contains("team-key-1") && file.contains("2099-01-02"), file);
    assertTrue(file.contains("max-parallel-requests: 4"), file);
    assertTrue(file.contains("# admin page test config"), "comments kept");

    page.click(By.cssSelector("#client-keys button[aria-label='Disable client key team...ey-1']"));
    page.visible(By.id("confirm-ok")).click();
    browser.await(d -> d.findElement(By.id("client-keys")).getText().contains("disabled"));
    assertEquals(401, new GatewayClient(gateway).chat("chat-a").statusCode());
    page.click(By.cssSelector("#client-keys button[aria-label='Enable client key team...ey-1']"));
    browser.await(d -> !d.findElement(By.id("client-keys")).getText().contains("disabled"));
    assertEquals(200, new GatewayClient(gateway).chat("chat-a").statusCode());
  }

  @Test
  void aCreatedClientKeyIsShownOnceWithACopyButton() throws Exception {
    AdminPage page = page().signedIn();
    page.view("keys", "Client keys");
    WebElement create = page.driver().findElement(By.id("key-create"));
    browser.await(d -> create.isEnabled());
    page.driver().findElement(By.id("key-name")).sendKeys("ci-bot");
    page.driver().findElement(By.id("key-models")).sendKeys("chat-a, chat-b");
    create.click();

    WebElement shown = page.visible(By.id("new-key-value"));
    String key = page.value(shown);
    assertTrue(key.startsWith("sk-") && key.length() > 30, key);
    String file = Files.readString(configFile());
    assertTrue(file.contains("ci-bot") && file.contains("key-sha256") && !file.contains(key), file);
    assertEquals(200, new GatewayClient(gateway, key).chat("chat-b").statusCode(), "the key shown is the key made");
    page.driver().findElement(By.id("new-key-copy")).click();
    page.awaitText(By.id("new-key-copied"), "Cop");
    browser.screenshot("created-key-once");
    page.driver().findElement(By.id("new-key-done")).click();
    browser.await(d -> !d.findElement(By.id("new-key-dialog")).isDisplayed());
    assertEquals("", page.value(shown), "the clear key leaves the page with the dialog");
  }

  @Test
  void thePageFitsAPhone() {
    Dimension laptop = browser.driver().manage().window().getSize();
    browser.driver().manage().window().setSize(new Dimension(390, 844));
    try {
      AdminPage page = page().signedIn();
      assertNoHorizontalScrolling();
      browser.screenshot("phone-providers");
      page.view("usage", "Usage");
      page.visible(By.id("usage-totals"));
      assertNoHorizontalScrolling();
      browser.screenshot("phone-usage");
    } finally {
      browser.driver().manage().window().setSize(laptop);
    }
  }

  @Test
  void withManagementOffThePageLoadsAndSaysSo() {
    provoked.add(404);
    try (GatewayServer off = GatewayServer.builder().contextPath("/off")
        .config("openai-compatibility: []\n").build().start()) {
      browser.driver().get(off.baseUrl() + "/admin/");
      AdminPage page = page();
      page.awaitText(By.id("unavailable-text"), "Management is off on this gateway");
      assertTrue(page.driver().findElement(By.id("tabs")).getAttribute("hidden") != null);
      assertEquals("healthy", page.awaitText(By.id("health"), "healthy").getText());
    }
  }

  @Test
  void aUserTheContainerSignedInInTheAdminRoleNeedsNoKey() {
    String config = AdminPage.config(upstream.baseUrl()).replace("remote-management:\n",
        "remote-management:\n  auth: container\n");
    try (GatewayServer sso = GatewayServer.builder().contextPath("/sso").filter(HeaderSsoFilter.class, "/*")
        .config(config).build().start()) {
      // What an SSO front end does for a signed-in user: every request of the browser carries who it is.
      browser.cdp("Network.enable", Map.of());
      browser.cdp("Network.setExtraHTTPHeaders",
          Map.of("headers", Map.of(HeaderSsoFilter.HEADER, "erin; llm-proxy-admin")));
      AdminPage page = new AdminPage(browser, sso).open();
      assertEquals("Signed in as erin", page.awaitText(By.id("who"), "erin").getText());
      assertTrue(page.card("main").isDisplayed());
      assertFalse(page.driver().findElement(By.id("sign-out")).isDisplayed(), "nothing to sign out of here");
      assertNull(browser.script("return sessionStorage.getItem('llmproxy.admin.management-key')"));
    } finally {
      browser.cdp("Network.setExtraHTTPHeaders", Map.of("headers", Map.of()));
    }
  }

  private static String secretLine(String yaml) {
    return yaml.lines().filter(l -> l.contains("secret-key:")).findFirst().orElseThrow();
  }

  private Path configFile() {
    return gateway.configDir().resolve(GatewayServer.CONFIG_FILE);
  }

  private void setValue(WebElement textarea, String value) {
    browser.script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", textarea,
        value);
  }

  private static String describedBy(AdminPage page, WebElement input) {
    String ids = input.getAttribute("aria-describedby");
    return page.driver().findElement(By.id(ids.substring(ids.lastIndexOf(' ') + 1))).getText();
  }

  private void assertNoHorizontalScrolling() {
    Object overflow = browser.script("return document.documentElement.scrollWidth - window.innerWidth");
    assertTrue(((Number) overflow).longValue() <= 0, "the page scrolls sideways by " + overflow + " px");
  }

  private static void assertNoClearSecretIn(String text) {
    for (String secret : CLEAR_SECRETS) {
      assertFalse(text.contains(secret), "a secret in clear: " + secret.substring(0, 6) + "...");
    }
  }
}
