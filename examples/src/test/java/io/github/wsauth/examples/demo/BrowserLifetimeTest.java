package io.github.wsauth.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.github.wsauth.TokenPolicy;
import io.github.wsauth.examples.clients.BearerClient;

/**
 * The page's connection-lifetime part in a real headless Chromium: the long session ({@code data-method="refresh"})
 * outlives several tokens through {@code wsauth.keepAuthenticated} and ends with 1000, and "Log out everywhere"
 * closes the user's live connection with 4410 and shows it, leaving other users' connections alone.
 *
 * <p>The long session runs on a demo configured with 4-second tokens and a 10-second session (the defaults are 30
 * and 100 seconds; the ratio is the same): the servers close an identity at its expiry, so a session that is still
 * open after 10 seconds was re-authenticated in-band at least twice. Skipped locally without Chromium; fails in CI
 * without it.
 */
class BrowserLifetimeTest {
  private static final Duration TOKEN_LIFETIME = Duration.ofSeconds(4);
  private static final Duration LONG_SESSION = Duration.ofSeconds(10);
  private static Demo shortTokens;
  private static Demo defaults;
  private static HeadlessChromium chromium;

  @BeforeAll
  static void start() {
    shortTokens = Demo.start(DemoConfig.builder().ephemeralPorts()
        .tokenPolicy(TokenPolicy.builder().lifetime(TOKEN_LIFETIME).build())
        .longSession(LONG_SESSION).build());
    defaults = Demo.start(DemoConfig.builder().ephemeralPorts().build());
  }

  @BeforeEach
  void browser() throws IOException {
    if (chromium == null) {
      chromium = HeadlessChromium.startOrSkip();
    }
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (chromium != null) {
        chromium.close();
      }
    } finally {
      if (shortTokens != null) {
        shortTokens.close();
      }
      if (defaults != null) {
        defaults.close();
      }
    }
  }

  private static WebElement longSessionRow(ChromeDriver driver) {
    return driver.findElement(By.cssSelector("#sessions li[data-method=\"refresh\"]"));
  }

  private static String waitForSession(ChromeDriver driver, Duration timeout, List<String> statuses) {
    new WebDriverWait(driver, timeout)
        .until(d -> !d.findElements(By.cssSelector("#sessions li[data-method]")).isEmpty()
        && statuses.contains(longSessionRow((ChromeDriver) d).getAttribute("data-status")));
    return longSessionRow(driver).getAttribute("data-status");
  }

  @Test
  void longSession_outlivesSeveralTokens_throughInBandRefresh_thenEndsWith1000() {
    ChromeDriver driver = chromium.driver();
    driver.get(shortTokens.appUri().resolve("/demo?user=lena").toString());
    String status = waitForSession(driver, LONG_SESSION.plusSeconds(30), List.of("ok", "failed", "revoked"));
    String line = longSessionRow(driver).findElement(By.className("line")).getText();
    assertThat(status).as(line).isEqualTo("ok");
    Matcher m = Pattern.compile("stayed connected (\\d+) s on 4-second tokens with (\\d+) in-band refreshes; "
        + "page said goodbye, server closed with 1000").matcher(line);
    assertThat(m.matches()).as(line).isTrue();
    assertThat(Long.parseLong(m.group(1))).isGreaterThanOrEqualTo(LONG_SESSION.toSeconds());
    // 10 s on 4-second tokens, each closed by the server at its expiry: at least two refreshes kept it open.
    assertThat(Integer.parseInt(m.group(2))).isGreaterThanOrEqualTo(2);
    assertThat(shortTokens.tokens().registry().bySubject("lena")).isEmpty();
  }

  @Test
  void logOutEverywhereButton_closesTheUsersLiveConnectionWith4410_andShowsIt() throws Exception {
    ChromeDriver driver = chromium.driver();
    // Another user's connection, on a Tomcat server: logging "nora" out must leave it alone.
    HttpClient http = HttpClient.newHttpClient();
    Bystander bob = new Bystander();
    WebSocket bobSocket = BearerClient.connect(http, defaults.serverUri(AuthMethod.BEARER),
        defaults.tokens().issue("bob", DemoTokens.Kind.OPAQUE).value(), bob).get(10, TimeUnit.SECONDS);
    bob.greeted.get(10, TimeUnit.SECONDS);

    driver.get(defaults.appUri().resolve("/demo?user=nora").toString());
    BrowserDemoTest.waitUntilDone(driver);
    assertThat(waitForSession(driver, Duration.ofSeconds(20), List.of("connected", "failed")))
        .isEqualTo("connected");
    // Only the long session is live now (the methods' connections said goodbye).
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(d -> defaults.tokens().registry().bySubject("nora").size() == 1);

    driver.findElement(By.id("logout")).click();
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(d -> !d.findElement(By.id("logout-result")).getAttribute("data-closed").isEmpty());
    WebElement result = driver.findElement(By.id("logout-result"));
    assertThat(result.getAttribute("data-closed")).isEqualTo("1");
    assertThat(result.getText()).isEqualTo(
        "Logged out everywhere: tokens revoked, 1 live connection closed with 4410 \"authentication revoked\".");
    assertThat(waitForSession(driver, Duration.ofSeconds(5), List.of("revoked", "failed", "ok")))
        .as(longSessionRow(driver).findElement(By.className("line")).getText()).isEqualTo("revoked");
    assertThat(longSessionRow(driver).findElement(By.className("line")).getText())
        .startsWith("closed with 4410: authentication revoked after ").endsWith("(logged out everywhere)");
    assertThat(defaults.tokens().registry().bySubject("nora")).isEmpty();

    assertThat(defaults.tokens().registry().bySubject("bob")).hasSize(1);
    bobSocket.sendText(HelloProtocol.goodbye("bob"), true);
    assertThat(bob.closed.get(10, TimeUnit.SECONDS)).isEqualTo("1000 bye");
  }

  /** Another user's connection, greeted and then left open. */
  private static final class Bystander implements WebSocket.Listener {
    final CompletableFuture<Void> greeted = new CompletableFuture<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      if (HelloProtocol.hello("bob").contentEquals(data)) {
        greeted.complete(null);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      greeted.completeExceptionally(error);
      closed.completeExceptionally(error);
    }
  }
}
