package dev.llmproxy.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its own chromedriver, for browser tests of the admin page.
 *
 * <p>Nothing is downloaded: the driver service is given the chromedriver executable, which keeps
 * Selenium Manager out of the picture, and the browser binary is named in the options. Both default
 * to {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (system properties {@value
 * #CHROMIUM_PROPERTY} and {@value #CHROMEDRIVER_PROPERTY} override them); when either is missing, start
 * fails with a message saying what to install, so a browser test never passes by not running. Each
 * start uses a fresh profile directory (no state carried between runs) and a download directory of
 * its own. The browser's console is recorded for {@link #consoleErrors()}.
 *
 * <p>Use it as a JUnit extension ({@code @RegisterExtension static final HeadlessBrowser browser = new
 * HeadlessBrowser();}): started once per class, its console drained before each test, stopped after all.
 * WebDriver is not thread-safe; drive it from the test thread only.
 */
public final class HeadlessBrowser implements AutoCloseable, ScopedExtension {
  public static final String CHROMIUM_PROPERTY = "llmproxy.it.chromium";
  public static final String CHROMEDRIVER_PROPERTY = "llmproxy.it.chromedriver";
  /** Where {@link #screenshot(String)} writes, relative to the Maven project directory. */
  public static final Path SCREENSHOTS = Path.of("target", "admin-screenshots");

  private static final List<String> CHROMIUM_FLAGS = List.of("--headless=new", "--no-sandbox", "--disable-gpu",
      "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--disable-dev-shm-usage", "--lang=en-US", "--window-size=1280,1000");

  private final ExtensionScope scope = new ExtensionScope(this::start, this::blankPage, this::close);
  private ChromeDriverService service;
  private ChromeDriver driver;
  private TempDirectory profile;
  private Path downloads;

  /** Starts chromedriver and a browser; does nothing when already started. */
  public synchronized HeadlessBrowser start() {
    if (driver != null) {
      return this;
    }
    Path chromium = executable(CHROMIUM_PROPERTY, "/usr/bin/chromium", "chromium");
    Path chromedriver = executable(CHROMEDRIVER_PROPERTY, "/usr/bin/chromedriver", "chromium-driver");
    profile = TempDirectory.create("llm-proxy-chromium-");
    downloads = profile.path().resolve("downloads");
    try {
      Files.createDirectories(downloads);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort()
        .withLogOutput(OutputStream.nullOutputStream())
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments(CHROMIUM_FLAGS);
    options.addArguments("--user-data-dir=" + profile.path().resolve("profile"));
    options.setExperimentalOption("prefs", Map.of(
        "download.default_directory", downloads.toString(),
        "download.prompt_for_download", false));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    try {
      driver = new ChromeDriver(service, options);
    } catch (RuntimeException e) {
      service.stop();
      profile.close();
      throw new IllegalStateException("chromium " + chromium + " did not start through " + chromedriver, e);
    }
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    return this;
  }

  private static Path executable(String property, String fallback, String debianPackage) {
    Path path = Path.of(System.getProperty(property, fallback));
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException(path + " is missing: the browser tests need Debian's " + debianPackage
          + " package (apt-get install chromium chromium-driver; .ci/run installs both), or -D" + property
          + "=<path>");
    }
    return path;
  }

  public synchronized WebDriver driver() {
    if (driver == null) {
      throw new IllegalStateException("HeadlessBrowser is not started");
    }
    return driver;
  }

  /**
   * Waits up to 20 s for {@code condition} to answer non-null and non-false, and answers that. An element the
   * page replaced between finding and reading it (a table redrawn by a refresh) means "not yet": try again.
   */
  public <T> T await(Function<WebDriver, T> condition) {
    return new WebDriverWait(driver(), Duration.ofSeconds(20), Duration.ofMillis(100))
        .ignoring(StaleElementReferenceException.class)
        .until(condition::apply);
  }

  /** Runs {@code script} in the page and answers its result (Selenium's executeScript). */
  public Object script(String script, Object... args) {
    return ((ChromeDriver) driver()).executeScript(script, args);
  }

  /** Sends a Chrome DevTools Protocol command (through chromedriver; no DevTools client needed). */
  public Map<String, Object> cdp(String command, Map<String, Object> parameters) {
    return ((ChromeDriver) driver()).executeCdpCommand(command, parameters);
  }

  /** Saves the visible page as {@code target/admin-screenshots/<name>.png}, and answers that path. */
  public Path screenshot(String name) {
    Path dir = projectDir().resolve(SCREENSHOTS);
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the browser saves downloads (no prompt). */
  public Path downloads() {
    return downloads;
  }

  /**
   * The console entries at level SEVERE since the last call (JavaScript errors, Content-Security-Policy
   * refusals, failed loads), each as Chrome's message text.
   */
  public List<String> consoleErrors() {
    List<String> errors = new ArrayList<>();
    for (LogEntry entry : driver().manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
        errors.add(entry.getMessage());
      }
    }
    return errors;
  }

  /**
   * Before each test: leaves the last test's page (which may still poll a gateway that has stopped) and
   * forgets the console entries so far, so each test sees only its own.
   */
  private void blankPage() {
    if (driver != null) {
      driver.get("about:blank");
      driver.manage().logs().get(LogType.BROWSER);
    }
  }

  private static Path projectDir() {
    return Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
  }

  /** Quits the browser and the driver, and deletes the profile. Safe to call twice. */
  @Override
  public synchronized void close() {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      driver = null;
      if (service != null) {
        service.stop();
        service = null;
      }
      if (profile != null) {
        profile.close();
        profile = null;
      }
    }
  }

  @Override
  public ExtensionScope scope() {
    return scope;
  }
}
