package io.github.wsauth.examples.demo;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium driven through the system's chromedriver (Debian packages {@code chromium} and {@code
 * chromium-driver}, installed in CI by {@code .ci/chromium.sh}).
 *
 * <p>Nothing is downloaded: the driver executable is given to {@link ChromeDriverService} explicitly, which makes
 * Selenium 4.52 skip Selenium Manager ("path to chromedriver specified in Service class"), and the browser binary
 * is set in the options; {@code SE_OFFLINE}-style switches are then moot. When Chromium or chromedriver is missing
 * the test is skipped locally, but FAILS when {@code CI=true}.
 */
final class HeadlessChromium implements AutoCloseable {
  private final ChromeDriver driver;
  private final Path profile;

  private HeadlessChromium(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** Starts Chromium, or skips (locally) / fails (CI) the calling test when it is not installed. */
  static HeadlessChromium startOrSkip() throws IOException {
    String missing = missing();
    if (missing != null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(missing);
      }
      System.err.println("SKIPPED: " + missing);
      Assumptions.abort(missing);
    }
    return start();
  }

  /** Why Chromium cannot run here, or null if it can. */
  static String missing() {
    File browser = executable("CHROMIUM_BIN", "/usr/bin/chromium", "/usr/bin/chromium-browser");
    File driverExe = executable("CHROMEDRIVER_BIN", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    if (browser == null || driverExe == null) {
      return "headless Chromium needs the Debian packages chromium and chromium-driver"
          + " (run .ci/chromium.sh as root); found browser=" + browser + ", chromedriver=" + driverExe;
    }
    return null;
  }

  private static HeadlessChromium start() throws IOException {
    File browser = executable("CHROMIUM_BIN", "/usr/bin/chromium", "/usr/bin/chromium-browser");
    File driverExe = executable("CHROMEDRIVER_BIN", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    Path profile = Files.createTempDirectory("wsauth-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1100,900", "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(driverExe)
        .usingAnyFreePort()
        .withTimeout(Duration.ofSeconds(30))
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    return new HeadlessChromium(driver, profile);
  }

  private static File executable(String env, String... candidates) {
    String override = System.getenv(env);
    if (override != null && !override.isEmpty()) {
      File f = new File(override);
      return f.canExecute() ? f : null;
    }
    for (String c : candidates) {
      File f = new File(c);
      if (f.canExecute()) {
        return f;
      }
    }
    return null;
  }

  ChromeDriver driver() {
    return driver;
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
