package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * The browser files shipped under {@code META-INF/resources/wsauth/} (served as is by servlet containers and by
 * the Netty cookie-bridge handler) are present and keep their security properties.
 */
class BridgeResourcesTest {

  private static String resource(String name) throws IOException {
    try (InputStream in = BridgeResourcesTest.class.getResourceAsStream("/META-INF/resources/wsauth/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void bridgePage_loadsItsScriptFromItsOwnOriginWithoutInlineCode() throws IOException {
    String page = resource("cookie-bridge.html");
    assertThat(page).contains("<script src=\"cookie-bridge.js\"></script>");
    assertThat(page.replace("<script src=\"cookie-bridge.js\"></script>", "")).doesNotContain("<script");
  }

  @Test
  void bridgeScript_checksTheExactOriginAndNeverPostsToAnyOrigin() throws IOException {
    String js = resource("cookie-bridge.js");
    assertThat(js).contains("event.origin !== parentOrigin").contains("event.source !== window.parent")
        .contains("postMessage(message, parentOrigin)").contains("redirect: 'error'")
        .doesNotContain("'*'").doesNotContain("\"*\"").doesNotContain("document.cookie");
  }

  @Test
  void helperScript_exposesEveryConnectionMethodAndTargetsTheBridgeOriginOnly() throws IOException {
    String js = resource("wsauth.js");
    assertThat(js).contains("connectWithFirstMessage").contains("connectWithQueryParameter")
        .contains("connectWithSubprotocol").contains("connectWithCookie").contains("setCookie")
        .contains("keepAuthenticated: keepAuthenticated")
        .contains("event.origin !== bridgeOrigin").contains("bridgeOrigin);").doesNotContain("'*'");
  }
}
