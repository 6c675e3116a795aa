package io.github.wsauth.examples.demo;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium driven through the system's chromedriver (Debian packages {@code chromium} and {@code
 * chromium-driver}, installed in CI by {@code .ci/chromium.sh}).
 *
 * <p>Nothing is downloaded: the driver executable is given to {@link ChromeDriverService} explicitly, which makes
 * Selenium 4.52 skip Selenium Manager ("path to chromedriver specified in Service class"), and the browser binary
 * is set in the options; {@code SE_OFFLINE}-style switches are then moot.
 */
final class HeadlessChromium implements HeadlessBrowser {
  private final ChromeDriver driver;
  private final Path profile;

  private HeadlessChromium(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** Why Chromium cannot run here, or null if it can. */
  static String missing() {
    File browser = browser();
    File driverExe = driverExecutable();
    if (browser == null || driverExe == null) {
      return "headless Chromium needs the Debian packages chromium and chromium-driver"
          + " (run .ci/chromium.sh as root); found browser=" + browser + ", chromedriver=" + driverExe;
    }
    return null;
  }

  private static File browser() {
    return HeadlessBrowser.executable("CHROMIUM_BIN", "/usr/bin/chromium", "/usr/bin/chromium-browser");
  }

  private static File driverExecutable() {
    return HeadlessBrowser.executable("CHROMEDRIVER_BIN", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
  }

  static HeadlessChromium start(boolean acceptInsecureCerts) throws IOException {
    Path profile = Files.createTempDirectory("wsauth-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1100,900", "--user-data-dir=" + profile.toAbsolutePath());
    options.setAcceptInsecureCerts(acceptInsecureCerts);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(driverExecutable())
        .usingAnyFreePort()
        .withTimeout(Duration.ofSeconds(30))
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    return new HeadlessChromium(driver, profile);
  }

  @Override
  public Kind kind() {
    return Kind.CHROMIUM;
  }

  @Override
  public String version() {
    return "Chromium " + driver.getCapabilities().getBrowserVersion();
  }

  @Override
  public void open(String url) throws IOException {
    try {
      driver.get(url);
    } catch (WebDriverException e) {
      throw new IOException("chromium: cannot open " + url + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String call(String body, String... args) throws IOException {
    String script = "const done = arguments[arguments.length - 1];"
        + "const args = Array.prototype.slice.call(arguments, 0, arguments.length - 1);"
        + "(async (...args) => {" + body + "\n})(...args)"
        + ".then(v => done({ok: String(v)}), e => done({error: String(e && e.message || e)}));";
    Object out;
    try {
      Object[] scriptArgs = args;
      out = driver.executeAsyncScript(script, scriptArgs);
    } catch (WebDriverException e) {
      throw new IOException("chromium: script failed: " + e.getMessage(), e);
    }
    if (out instanceof java.util.Map<?, ?> m && m.containsKey("ok")) {
      return String.valueOf(m.get("ok"));
    }
    throw new IOException("chromium: script failed: " + (out instanceof java.util.Map<?, ?> m ? m.get("error") : out));
  }

  @Override
  public byte[] screenshot() {
    return driver.getScreenshotAs(OutputType.BYTES);
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      HeadlessBrowser.delete(profile);
    }
  }
}
