package dev.llmproxy.it.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.it.GatewayClient;
import dev.llmproxy.it.UpstreamAndGateway;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.HeadlessBrowser;
import dev.llmproxy.testing.RawClient;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The admin page's live views in a real browser: cooling keys after an upstream 429 (appearing by
 * themselves, with no click), and usage charts and the CSV download from real requests. The usage API
 * is checked against the shape agreed for it: without durable records the page shows the live totals;
 * with them it draws every view from the period's rows. A stand-in for the durable API (a fetch
 * answered inside the page, the documented JSON) checks the per-day chart on any gateway.
 */
class AdminLiveStateIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  @Order(1)
  static final HeadlessBrowser browser = new HeadlessBrowser();

  @RegisterExtension
  @Order(2)
  final UpstreamAndGateway setup = AdminPage.newSetup();
  final FakeUpstream upstream = setup.upstream();
  final GatewayServer gateway = setup.gateway();

  private final Set<Integer> provoked = new HashSet<>(Set.of(401));

  @AfterEach
  void screenshotAndConsole(TestInfo test) {
    new AdminPage(browser, gateway).finish(test, provoked);
  }

  @Test
  void coolingKeysAppearByThemselvesAfterAnUpstream429() {
    AdminPage page = new AdminPage(browser, gateway).signedIn();
    page.view("status", "Live status");
    assertEquals("status-title", page.focused().getAttribute("id"), "keyboard navigation moves the focus to the view");
    page.awaitText(By.id("status-summary"), "All 3 keys are ready.");

    upstream.respondWith(r -> UpstreamResponse.rateLimited(Duration.ofSeconds(300)));
    HttpResponse<String> refused = new GatewayClient(gateway).chat("chat-b");
    assertEquals(429, refused.statusCode(), refused.body());

    // No click: the view refreshes itself every 5 s.
    WebElement main = page.awaitText(By.cssSelector("#status-list article[data-provider='main']"),
        "rate limit (HTTP 429)");
    assertTrue(main.getText().contains("up-b") || main.getText().contains("chat-b"), main.getText());
    assertTrue(page.driver().findElement(By.id("status-summary")).getText().contains("resting"));
    browser.screenshot("live-status");
  }

  @Test
  void theInstancesOpenRequestsAndItsRefusalsShowOnTheLiveView() throws Exception {
    upstream.respondWith(r -> UpstreamResponse.pacedStream(r.model(), 400, Duration.ofMillis(25), 8));
    List<RawClient> held = new java.util.ArrayList<>();
    AdminPage page;
    try {
      for (int i = 0; i < 2; i++) {
        held.add(new GatewayClient(gateway).heldStream("chat-a"));
      }
      page = new AdminPage(browser, gateway).signedIn();
      page.view("status", "Live status");
      WebElement open = page.awaitText(By.id("status-open"), "Requests open now: 2 of ");
      assertTrue(open.getText().endsWith("this instance holds."), "no refusals yet: " + open.getText());
    } finally {
      for (RawClient c : held) {
        c.abort();
      }
    }

    // Refusals as upstream-status documents them (a full instance is out of reach at the default limit).
    browser.script("""
        const real = window.fetch;
        window.fetch = async (url, init) => {
          if (new URL(url).pathname.endsWith('/v0/management/upstream-status')) {
            return new Response(JSON.stringify({ now: '2026-12-07T12:00:00Z', providers: [],
              'open-requests': { open: 9500, limit: 9500, refused: 1234, 'last-refused': '2026-12-07T12:00:00Z' },
              'gateway-busy': [{ provider: 'vllm', refused: 7, last: '2026-12-07T11:59:00Z' }] }),
              { status: 200, headers: { 'Content-Type': 'application/json' } });
          }
          return real(url, init);
        };
        """);
    page.click(By.id("status-refresh"));
    WebElement full = page.awaitText(By.id("status-open"), "Requests open now: 9,500 of 9,500 this instance holds. "
        + "1,234 refused as over that limit (503 gateway_busy)");
    assertTrue(full.getAttribute("class").contains("state-cooling"), "a full instance stands out");
    assertTrue(page.driver().findElement(By.cssSelector("#status-capacity [data-busy-provider='vllm']")).getText()
        .startsWith("The connection pool toward vllm was full: 7 refused (503 gateway_busy)"));
    browser.screenshot("live-status-capacity");
  }

  @Test
  void usageChartsAndCsvComeFromRealRequests() throws Exception {
    GatewayClient client = new GatewayClient(gateway);
    for (String model : List.of("chat-a", "chat-a", "chat-a", "chat-b")) {
      assertEquals(200, client.chat(model).statusCode());
    }
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    boolean durable = usageApiIsDurable(today);

    AdminPage page = new AdminPage(browser, gateway).signedIn();
    page.view("usage", "Usage");
    // Durable records may be written a moment after the answer: ask again until they are there.
    WebElement chatA = browser.await(d -> {
      List<WebElement> bars = d.findElements(By.cssSelector("#chart-model rect[data-key='chat-a']"));
      if (bars.isEmpty()) {
        d.findElement(By.cssSelector("#usage-form button[type=submit]")).click();
        return null;
      }
      return bars.get(0);
    });
    assertEquals("3", chatA.getAttribute("data-value"));
    assertEquals("1", page.driver().findElement(By.cssSelector("#chart-model rect[data-key='chat-b']"))
        .getAttribute("data-value"));
    List<WebElement> clients = page.driver().findElements(By.cssSelector("#chart-client rect"));
    assertEquals(1, clients.size(), "one client key sent every request");
    assertEquals("4", clients.get(0).getAttribute("data-value"));
    if (durable) {
      assertEquals("4", page.driver().findElement(By.cssSelector("#chart-day rect[data-key='" + today + "']"))
          .getAttribute("data-value"));
    } else {
      assertTrue(page.driver().findElement(By.id("chart-day")).getText().contains("needs the gateway's durable usage"));
      assertTrue(page.driver().findElement(By.id("usage-note")).getText().contains("the counts since"));
    }
    assertEquals(durable ? "Total 4 4 0 0 20 28 0 0 48 $0.00 0" : "Total 4 4 0 0 20 28 48 $0.00 0",
        page.driver().findElement(By.cssSelector("#usage-totals tfoot tr")).getText());
    browser.screenshot("usage");

    page.driver().findElement(By.id("usage-csv")).click();
    Path csv = browser.await(d -> downloaded(".csv"));
    List<String> lines = Files.readAllLines(csv);
    assertEquals("model,requests,succeeded,failed,cancelled,prompt-tokens,completion-tokens,total-tokens,cost,"
        + "estimated-requests",
        durable ? lines.get(0).replace(",cached-tokens,reasoning-tokens", "") : lines.get(0));
    assertTrue(lines.get(1).startsWith("chat-a,3,3,0,0,15,21"), lines.toString());
    assertTrue(lines.get(lines.size() - 1).startsWith("total,4,4,0,0,20,28"), lines.toString());
  }

  @Test
  void usageChartsFollowTheDurableShape() {
    AdminPage page = new AdminPage(browser, gateway).signedIn();
    // The documented answer of GET usage?from=&to=&group-by=, whatever this gateway's usage API serves.
    browser.script("""
        const real = window.fetch;
        window.usageQueries = [];
        const rows = {
          model: [{ key: 'gpt-big', requests: 12, 'total-tokens': 1200 },
            { key: 'gpt-small', requests: 3, 'total-tokens': 90 }],
          client: [{ key: 'key sk-a...1234', requests: 15, 'total-tokens': 1290 }],
          day: [{ key: '2026-11-02', requests: 12, 'total-tokens': 1200 },
            { key: '2026-11-05', requests: 3, 'total-tokens': 90 }],
          provider: [{ key: 'main', requests: 15, 'total-tokens': 1290 }],
          'upstream-model': [{ key: 'vendor/gpt-big-2026', requests: 15, 'total-tokens': 1290, cost: 0.0123456 }],
        };
        const full = (r) => Object.assign({ succeeded: r.requests, failed: 0, cancelled: 0, 'prompt-tokens': 0,
          'completion-tokens': r['total-tokens'], 'cached-tokens': 0, 'reasoning-tokens': 0 }, r);
        window.fetch = async (url, init) => {
          const u = new URL(url);
          if (u.pathname.endsWith('/v0/management/usage') && u.search) {
            const group = u.searchParams.get('group-by');
            window.usageQueries.push(u.searchParams.get('from') + '..' + u.searchParams.get('to') + ' ' + group);
            const body = { from: u.searchParams.get('from'), to: u.searchParams.get('to'), 'group-by': group,
              rows: rows[group].map(full), totals: full({ key: undefined, requests: 15, 'total-tokens': 1290 }) };
            delete body.totals.key;
            return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
          }
          return real(url, init);
        };
        """);
    page.view("usage", "Usage");
    page.visible(By.id("usage-from"));
    browser.script("document.getElementById('usage-from').value = '2026-11-01';"
        + "document.getElementById('usage-to').value = '2026-11-07';");
    page.driver().findElement(By.cssSelector("#usage-form button[type=submit]")).click();

    page.awaitText(By.id("usage-note"), "Usage from 2026-11-01 to 2026-11-07");
    List<WebElement> days = page.driver().findElements(By.cssSelector("#chart-day rect"));
    assertEquals(List.of("2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06",
        "2026-11-07"), days.stream().map(d -> d.getAttribute("data-key")).toList(), "every day of the period");
    assertEquals(List.of("0", "12", "0", "0", "3", "0", "0"),
        days.stream().map(d -> d.getAttribute("data-value")).toList());
    List<?> queries = (List<?>) browser.script("return window.usageQueries");
    assertTrue(queries.containsAll(List.of("2026-11-01..2026-11-07 model", "2026-11-01..2026-11-07 client",
        "2026-11-01..2026-11-07 day", "2026-11-01..2026-11-07 provider", "2026-11-01..2026-11-07 upstream-model")),
        queries.toString());

    new Select(page.driver().findElement(By.id("usage-metric"))).selectByVisibleText("Total tokens");
    assertEquals("1200", page.driver().findElement(By.cssSelector("#chart-model rect[data-key='gpt-big']"))
        .getAttribute("data-value"));
    new Select(page.driver().findElement(By.id("usage-group"))).selectByValue("provider");
    assertEquals("main 15 15 0 0 0 1,290 0 0 1,290",
        page.driver().findElement(By.cssSelector("#usage-totals tbody tr")).getText());
    new Select(page.driver().findElement(By.id("usage-group"))).selectByValue("upstream-model");
    assertEquals("vendor/gpt-big-2026 15 15 0 0 0 1,290 0 0 1,290 $0.012346",
        page.driver().findElement(By.cssSelector("#usage-totals tbody tr")).getText(), "cost in dollars, to 6 places");
    browser.screenshot("usage-durable-shape");
  }

  @Test
  void csvCellsNeverRunAsSpreadsheetFormulas() throws Exception {
    new AdminPage(browser, gateway).open();
    Object csv = ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        import(new URL('js/usage-data.js', document.baseURI).href).then((m) => done(JSON.stringify(m.toCsv('client', [
          { key: '=HYPERLINK("http://x")', requests: 2 }, { key: 'user a,b', requests: -1 }],
          { requests: 1 }, ['requests']))), (e) => done('failed: ' + e));
        """);
    // Through JSON, which keeps the CRLF line ends as they are.
    assertEquals("client,requests\r\n\"'=HYPERLINK(\"\"http://x\"\")\",2\r\n\"user a,b\",-1\r\ntotal,1\r\n",
        JSON.readValue((String) csv, String.class));
  }

  /**
   * What the gateway's usage API answers a period query: the durable rows, or (a gateway without them)
   * the live shape it keeps for a query it does not know. Anything else breaks the agreed shape.
   */
  private boolean usageApiIsDurable(String today) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        gateway.uri("/v0/management/usage?from=" + today + "&to=" + today + "&group-by=model"))
        .header("X-Management-Key", AdminPage.SECRET).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    if (body.has("rows") && body.has("totals")) {
      return true;
    }
    if (body.has("clients") && body.has("since")) {
      return false;
    }
    return fail("neither the durable nor the live usage shape: " + r.body());
  }

  /**
   * The downloaded file once it is whole, else {@code null}. Chrome can show the file under its final name
   * before its bytes are all there (a CI run read it empty); the page's CSV always ends with a line break.
   */
  private Path downloaded(String suffix) {
    try (Stream<Path> files = Files.list(browser.downloads())) {
      Path file = files.filter(f -> f.toString().endsWith(suffix)).findFirst().orElse(null);
      if (file == null) {
        return null;
      }
      byte[] bytes = Files.readAllBytes(file);
      return bytes.length > 0 && bytes[bytes.length - 1] == '\n' ? file : null;
    } catch (java.nio.file.NoSuchFileException renamedMeanwhile) {
      return null;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
