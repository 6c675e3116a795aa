package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.wsauth.CookieBridge;
import io.github.wsauth.Identity;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

@ExtendWith(LeakDetection.class)
class CookieBridgeHandlerTest {
  private static final String PARENT = TestTokens.APP_ORIGIN;
  private final TestTokens tokens = new TestTokens();

  /** The bridge of these tests: the cookie on the WebSocket path. */
  private static CookieBridge.Builder bridge() {
    return CookieBridge.builder().parentOrigin(PARENT).cookiePath("/ws");
  }

  private static WsAuthConfig config(CookieBridge.Builder bridge) {
    return WsAuthConfig.builder().websocketPath("/ws").cookieBridge(bridge.build()).build();
  }

  private static FullHttpRequest get(String uri) {
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri, Unpooled.buffer(0));
    r.headers().set(HttpHeaderNames.HOST, "ws.example:8080");
    return r;
  }

  private static FullHttpRequest post(String body, String... headers) {
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/wsauth/cookie",
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    r.headers().set(HttpHeaderNames.HOST, "ws.example:8080");
    for (int i = 0; i < headers.length; i += 2) {
      r.headers().add(headers[i], headers[i + 1]);
    }
    return r;
  }

  private static FullHttpRequest goodPost(String token) {
    return post(token, "Origin", "http://ws.example:8080", "Content-Type", "text/plain;charset=UTF-8",
        "X-WsAuth-Max-Age", "30", "Sec-Fetch-Site", "same-origin");
  }

  /** Sends one request and returns the answer; the request must have been released. */
  private static Answer exchange(WsAuthConfig config, FullHttpRequest request) {
    EmbeddedChannel ch = new EmbeddedChannel(NettyWsAuth.cookieBridgeHandler(config));
    assertThat(ch.writeInbound(request)).as("nothing passes on").isFalse();
    assertThat(request.refCnt()).isZero();
    FullHttpResponse response = ch.readOutbound();
    try {
      return new Answer(response.status().code(), response.headers(),
          response.content().toString(StandardCharsets.UTF_8));
    } finally {
      response.release();
      assertFalse(ch.finish());
    }
  }

  record Answer(int status, io.netty.handler.codec.http.HttpHeaders headers, String body) {}

  private static String resource(String name) throws IOException {
    try (InputStream in = Identity.class.getResourceAsStream("/META-INF/resources/wsauth/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void page_allowedParent_isServedWithFrameAncestorsPinnedToTheParent() throws IOException {
    Answer a = exchange(config(bridge()), get("/wsauth/cookie-bridge.html?parent=https%3A%2F%2Fapp.example"));
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/html; charset=utf-8");
    assertThat(a.headers().get("Content-Security-Policy")).endsWith("frame-ancestors https://app.example")
        .contains("script-src 'self'").contains("default-src 'none'");
    assertThat(a.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(a.headers().get("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(a.body()).isEqualTo(resource("cookie-bridge.html")).contains("<script src=\"cookie-bridge.js\">");
  }

  @Test
  void page_foreignOrMissingOrRepeatedParent_isRefused() {
    WsAuthConfig config = config(bridge());
    assertThat(exchange(config, get("/wsauth/cookie-bridge.html?parent=https://evil.example")).status())
        .isEqualTo(403);
    assertThat(exchange(config, get("/wsauth/cookie-bridge.html?parent=https://app.example.evil.example"))
        .status()).isEqualTo(403);
    assertThat(exchange(config, get("/wsauth/cookie-bridge.html?parent=https://app.example%0d%0aX-Evil:1"))
        .status()).isEqualTo(403);
    assertThat(exchange(config, get("/wsauth/cookie-bridge.html")).status()).isEqualTo(400);
    assertThat(exchange(config, get("/wsauth/cookie-bridge.html?parent=" + PARENT + "&parent=" + PARENT))
        .status()).isEqualTo(400);
    assertThat(exchange(config, get("/wsauth/cookie-bridge.html?parent=%ZZ")).status()).isEqualTo(400);
  }

  @Test
  void scripts_areServedAsJavaScriptFromCore() throws IOException {
    for (String name : new String[] {"wsauth.js", "cookie-bridge.js"}) {
      Answer a = exchange(config(bridge()), get("/wsauth/" + name));
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/javascript; charset=utf-8");
      assertThat(a.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(a.body()).isEqualTo(resource(name));
    }
  }

  @Test
  void head_answersHeadersOnly() {
    FullHttpRequest head = get("/wsauth/wsauth.js");
    head.setMethod(HttpMethod.HEAD);
    Answer a = exchange(config(bridge()), head);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).isEmpty();
  }

  @Test
  void anythingOutsideTheWhitelist_is404() {
    for (String uri : new String[] {"/wsauth/", "/wsauth/../pom.xml", "/wsauth/%2e%2e/secret", "/wsauth/WSAUTH.JS",
        "/wsauth/sub/wsauth.js"}) {
      assertThat(exchange(config(bridge()), get(uri)).status()).as(uri).isEqualTo(404);
    }
  }

  @Test
  void wrongMethods_are405WithAllow() {
    FullHttpRequest postPage = get("/wsauth/cookie-bridge.html?parent=" + PARENT);
    postPage.setMethod(HttpMethod.POST);
    Answer page = exchange(config(bridge()), postPage);
    assertThat(page.status()).isEqualTo(405);
    assertThat(page.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET, HEAD");
    FullHttpRequest getCookie = get("/wsauth/cookie");
    Answer a = exchange(config(bridge()), getCookie);
    assertThat(a.status()).isEqualTo(405);
    assertThat(a.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("POST");
    FullHttpRequest postScript = get("/wsauth/wsauth.js");
    postScript.setMethod(HttpMethod.POST);
    assertThat(exchange(config(bridge()), postScript).headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET, HEAD");
  }

  @Test
  void cookie_sameOriginPost_setsAnHttpOnlyStrictCookieWithTheTokensLifetime() {
    String token = tokens.issue("alice");
    Answer a = exchange(config(bridge()), goodPost(token));
    assertThat(a.status()).isEqualTo(204);
    assertThat(a.headers().getAll(HttpHeaderNames.SET_COOKIE))
        .containsExactly("wsauth=" + token + "; Path=/ws; Max-Age=30; HttpOnly; SameSite=Strict");
    assertThat(a.headers().get(HttpHeaderNames.CACHE_CONTROL)).isEqualTo("no-store");
    assertThat(tokens.store.isUnused(token)).as("the bridge verifies nothing").isTrue();
  }

  @Test
  void cookie_nameAndPathAndSecure_followTheConfig() {
    WsAuthConfig config = config(bridge().cookieName("sid").cookiePath("/chat").alwaysSecureCookie(true));
    Answer a = exchange(config, goodPost("abc.def"));
    assertThat(a.headers().get(HttpHeaderNames.SET_COOKIE))
        .isEqualTo("sid=abc.def; Path=/chat; Max-Age=30; HttpOnly; SameSite=Strict; Secure");
  }

  @Test
  void cookie_partitionedConfig_setsChipsCookies() {
    WsAuthConfig config = config(bridge().partitionedCookie(true));
    Answer a = exchange(config, goodPost("abc.def"));
    assertThat(a.headers().get(HttpHeaderNames.SET_COOKIE))
        .isEqualTo("wsauth=abc.def; Path=/ws; Max-Age=30; HttpOnly; SameSite=None; Secure; Partitioned");
  }

  @Test
  void check_fromTheParent_answersWhetherThisCallsProbeArrived() {
    String probe = "0123456789abcdef";
    FullHttpRequest check = get("/wsauth/check?probe=" + probe);
    check.headers().set("Origin", PARENT).set("Cookie", "wsauth_probe=" + probe);
    Answer a = exchange(config(bridge()), check);
    assertThat(a.status() + " " + a.body()).isEqualTo("200 present\n");
    assertThat(a.headers().get("Access-Control-Allow-Origin")).isEqualTo(PARENT);
    assertThat(a.headers().get("Access-Control-Allow-Credentials")).isEqualTo("true");
    FullHttpRequest stale = get("/wsauth/check?probe=" + probe);
    stale.headers().set("Origin", PARENT).set("Cookie", "wsauth_probe=other");
    assertThat(exchange(config(bridge()), stale).body()).isEqualTo("absent\n");
  }

  @Test
  void cookie_httpsServerOrigin_isSecureAndMustMatch() {
    WsAuthConfig config = config(bridge().serverOrigin("https://ws.example"));
    FullHttpRequest ok = post("tok", "Origin", "https://ws.example", "Content-Type", "text/plain",
        "X-WsAuth-Max-Age", "10");
    assertThat(exchange(config, ok).headers().get(HttpHeaderNames.SET_COOKIE)).endsWith("; Secure");
    FullHttpRequest plain = post("tok", "Origin", "http://ws.example:8080", "Content-Type", "text/plain",
        "X-WsAuth-Max-Age", "10");
    assertThat(exchange(config, plain).status()).isEqualTo(403);
  }

  @Test
  void cookie_maxAge_isCappedByTheConfig() {
    FullHttpRequest request = goodPost("tok");
    request.headers().set("X-WsAuth-Max-Age", "999999");
    assertThat(exchange(config(bridge()), request).headers().get(HttpHeaderNames.SET_COOKIE))
        .contains("; Max-Age=300;");
  }

  @Test
  void cookie_crossOriginOrCrossSite_is403() {
    WsAuthConfig config = config(bridge());
    FullHttpRequest fromParent = goodPost("tok");
    fromParent.headers().set(HttpHeaderNames.ORIGIN, PARENT);
    assertThat(exchange(config, fromParent).status()).isEqualTo(403);
    FullHttpRequest noOrigin = goodPost("tok");
    noOrigin.headers().remove(HttpHeaderNames.ORIGIN);
    assertThat(exchange(config, noOrigin).status()).isEqualTo(403);
    FullHttpRequest crossSite = goodPost("tok");
    crossSite.headers().set("Sec-Fetch-Site", "cross-site");
    assertThat(exchange(config, crossSite).status()).isEqualTo(403);
    FullHttpRequest twoHosts = goodPost("tok");
    twoHosts.headers().add(HttpHeaderNames.HOST, "evil.example");
    assertThat(exchange(config, twoHosts).status()).isEqualTo(403);
  }

  @Test
  void cookie_badInput_is4xxAndSetsNothing() {
    WsAuthConfig config = config(bridge());
    FullHttpRequest form = goodPost("tok");
    form.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded");
    assertThat(exchange(config, form).status()).isEqualTo(415);
    for (String bad : new String[] {"", "a;b", "a b", "tok\r\nX: y", "a=b", "ä"}) {
      Answer a = exchange(config, goodPost(bad));
      assertThat(a.status()).as(bad).isEqualTo(400);
      assertThat(a.headers().contains(HttpHeaderNames.SET_COOKIE)).isFalse();
    }
    assertThat(exchange(config, goodPost("a".repeat(4097))).status()).isEqualTo(413);
    Answer atCap = exchange(config, goodPost("a".repeat(4096))); // the body cap, exactly: set
    assertThat(atCap.status()).isEqualTo(204);
    assertThat(atCap.headers().get(HttpHeaderNames.SET_COOKIE)).contains("a".repeat(4096));
    for (String maxAge : new String[] {"0", "-1", "1e3", "", "12345678901"}) {
      FullHttpRequest r = goodPost("tok");
      r.headers().set("X-WsAuth-Max-Age", maxAge);
      assertThat(exchange(config, r).status()).as(maxAge).isEqualTo(400);
    }
    FullHttpRequest none = goodPost("tok");
    none.headers().remove("X-WsAuth-Max-Age");
    assertThat(exchange(config, none).status()).isEqualTo(400);
  }

  @Test
  void otherPaths_passThrough() {
    EmbeddedChannel ch = new EmbeddedChannel(NettyWsAuth.cookieBridgeHandler(config(bridge())));
    FullHttpRequest request = get("/wsauthx/wsauth.js");
    assertThat(ch.writeInbound(request)).isTrue();
    FullHttpRequest passed = ch.readInbound();
    assertThat(passed).isSameAs(request);
    passed.release();
    assertFalse(ch.finish());
  }

  @Test
  void http10WithoutKeepAlive_closesAfterTheAnswer() {
    EmbeddedChannel ch = new EmbeddedChannel(NettyWsAuth.cookieBridgeHandler(config(bridge())));
    FullHttpRequest request = get("/wsauth/wsauth.js");
    request.setProtocolVersion(HttpVersion.HTTP_1_0);
    ch.writeInbound(request);
    FullHttpResponse response = ch.readOutbound();
    response.release();
    assertThat(ch.isOpen()).isFalse();
    assertFalse(ch.finish());
  }

  @Test
  void nonRequestMessages_andUndecodableBridgeRequests_passOn() {
    EmbeddedChannel ch = new EmbeddedChannel(NettyWsAuth.cookieBridgeHandler(config(bridge())));
    ch.writeInbound("not a request");
    Object passedOn = ch.readInbound();
    assertThat(passedOn).isEqualTo("not a request");
    FullHttpRequest bad = get("/wsauth/cookie-bridge.html?parent=https%3A%2F%2Fapp.example");
    bad.setDecoderResult(io.netty.handler.codec.DecoderResult.failure(new IllegalArgumentException("x")));
    ch.writeInbound(bad);
    FullHttpRequest passed = ch.readInbound();
    assertThat(passed).as("left to the upgrade handler, which refuses it").isSameAs(bad);
    passed.release();
    Object answered = ch.readOutbound();
    assertThat(answered).as("nothing answered").isNull();
    assertFalse(ch.finish());
  }

  @Test
  void requestAskingToClose_isAnsweredWithConnectionClose_andClosed() {
    EmbeddedChannel ch = new EmbeddedChannel(NettyWsAuth.cookieBridgeHandler(config(bridge())));
    FullHttpRequest request = get("/wsauth/cookie-bridge.html?parent=https%3A%2F%2Fapp.example");
    request.headers().set(HttpHeaderNames.CONNECTION, "close");
    ch.writeInbound(request);
    FullHttpResponse response = ch.readOutbound();
    assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
    response.release();
    assertThat(ch.isOpen()).isFalse();
    assertFalse(ch.finish());
  }

  /** Sends one request on a channel with an {@code SslHandler}, as a TLS server pipeline has. */
  private static Answer exchangeOverTls(WsAuthConfig config, FullHttpRequest request) throws Exception {
    javax.net.ssl.SSLEngine engine = javax.net.ssl.SSLContext.getDefault().createSSLEngine();
    engine.setUseClientMode(false);
    EmbeddedChannel ch = new EmbeddedChannel(NettyWsAuth.cookieBridgeHandler(config),
        new io.netty.handler.ssl.SslHandler(engine));
    assertThat(ch.writeInbound(request)).isFalse();
    FullHttpResponse response = ch.readOutbound();
    try {
      return new Answer(response.status().code(), response.headers(),
          response.content().toString(StandardCharsets.UTF_8));
    } finally {
      response.release();
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void cookie_overTls_theServerOriginIsHttps_andTheCookieSecure() throws Exception {
    assertThat(exchangeOverTls(config(bridge()), goodPost("tok")).status())
        .as("http:// is not this server's origin over TLS").isEqualTo(403);
    FullHttpRequest tlsOrigin = goodPost("tok");
    tlsOrigin.headers().set(HttpHeaderNames.ORIGIN, "https://ws.example:8080");
    Answer a = exchangeOverTls(config(bridge()), tlsOrigin);
    assertThat(a.status()).isEqualTo(204);
    assertThat(a.headers().get(HttpHeaderNames.SET_COOKIE))
        .isEqualTo("wsauth=tok; Path=/ws; Max-Age=30; HttpOnly; SameSite=Strict; Secure");
  }
}
