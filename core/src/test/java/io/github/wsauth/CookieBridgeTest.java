package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CookieBridgeTest {
  private static final String PARENT = "https://app.example";
  private static final String SELF = "http://ws.example:8080";
  private static final String TOKEN = "dGhlLXRva2Vu-_.~+/=";
  private static final String PROBE = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

  private final CookieBridge bridge = CookieBridge.builder().parentOrigin(PARENT).cookiePath("/ws").build();

  private static CookieBridge.Request request(String method, String target, String body, boolean secure,
      String... headers) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    h.put("Host", List.of("ws.example:8080"));
    for (int i = 0; i < headers.length; i += 2) {
      h.computeIfAbsent(headers[i], k -> new java.util.ArrayList<>()).add(headers[i + 1]);
    }
    return new CookieBridge.Request(method, target, h, body.getBytes(StandardCharsets.UTF_8), secure);
  }

  /** A same-origin cookie POST, valid in every respect, with {@code overrides} replacing or adding headers. */
  private static CookieBridge.Request post(String body, String... overrides) {
    Map<String, String> h = new LinkedHashMap<>(Map.of("Origin", SELF, "Content-Type", "text/plain;charset=UTF-8",
        "X-WsAuth-Max-Age", "30", "Sec-Fetch-Site", "same-origin"));
    for (int i = 0; i < overrides.length; i += 2) {
      if (overrides[i + 1] == null) {
        h.remove(overrides[i]);
      } else {
        h.put(overrides[i], overrides[i + 1]);
      }
    }
    String[] flat = h.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
        .toArray(String[]::new);
    return request("POST", "/wsauth/cookie", body, false, flat);
  }

  private static String said(CookieBridge.Response r) {
    return r.status() + " " + new String(r.body(), StandardCharsets.UTF_8).trim();
  }

  @Test
  void cookie_valid_setsHttpOnlyStrictCookie() {
    CookieBridge.Response r = bridge.answer(post(TOKEN));
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.headers()).containsEntry("Set-Cookie",
        "wsauth=" + TOKEN + "; Path=/ws; Max-Age=30; HttpOnly; SameSite=Strict").containsEntry("Cache-Control",
        "no-store");
    assertThat(r.toString()).doesNotContain(TOKEN);
  }

  @Test
  void cookie_secure_overTls_orAlways_orHttpsServerOrigin() {
    CookieBridge.Request tls = request("POST", "/wsauth/cookie", TOKEN, true, "Origin", "https://ws.example:8080",
        "Content-Type", "text/plain", "X-WsAuth-Max-Age", "30");
    assertThat(bridge.answer(tls).headers().get("Set-Cookie")).endsWith("; Secure");
    CookieBridge always = CookieBridge.builder().parentOrigin(PARENT).alwaysSecureCookie(true).build();
    assertThat(always.answer(post(TOKEN)).headers().get("Set-Cookie")).endsWith("; Secure");
    assertThat(bridge.answer(post(TOKEN)).headers().get("Set-Cookie")).doesNotContain("Secure");
  }

  @Test
  void partitioned_setsChipsCookies_forTheTokenAndTheProbe() {
    CookieBridge chips = CookieBridge.builder().parentOrigin(PARENT).cookiePath("/ws").partitionedCookie(true).build();
    assertThat(chips.answer(post(TOKEN)).headers()).containsEntry("Set-Cookie",
        "wsauth=" + TOKEN + "; Path=/ws; Max-Age=30; HttpOnly; SameSite=None; Secure; Partitioned");
    CookieBridge.Response probe = chips.answer(probe());
    assertThat(probe.status()).isEqualTo(204);
    assertThat(probe.headers()).containsEntry("Set-Cookie",
        "wsauth_probe=" + PROBE + "; Path=/wsauth/check; Max-Age=30; HttpOnly; SameSite=None; Secure; Partitioned");
    assertThat(chips.toString()).contains("partitioned");
  }

  private static final String CHECK = "/wsauth/check?probe=" + PROBE;

  private static CookieBridge.Request probe(String... headers) {
    String[] all = new String[8 + headers.length];
    System.arraycopy(new String[] {"Origin", SELF, "Content-Type", "text/plain;charset=UTF-8", "X-WsAuth-Max-Age",
        "30", "Sec-Fetch-Site", "same-origin"}, 0, all, 0, 8);
    System.arraycopy(headers, 0, all, 8, headers.length);
    return request("POST", "/wsauth/probe", PROBE, false, all);
  }

  @Test
  void probe_sameAttributesAsTheCookie_andTheSameCsrfChecks() {
    assertThat(bridge.answer(probe()).headers()).containsEntry("Set-Cookie",
        "wsauth_probe=" + PROBE + "; Path=/wsauth/check; Max-Age=30; HttpOnly; SameSite=Strict");
    CookieBridge.Request foreign = request("POST", "/wsauth/probe", PROBE, false, "Origin", PARENT,
        "Content-Type", "text/plain", "X-WsAuth-Max-Age", "30");
    assertThat(said(bridge.answer(foreign))).isEqualTo("403 origin not allowed");
    assertThat(said(bridge.answer(request("GET", "/wsauth/probe", "", false)))).isEqualTo("405 method not allowed");
    assertThat(said(bridge.answer(request("POST", "/wsauth/probe", "a b", false, "Origin", SELF, "Content-Type",
        "text/plain", "X-WsAuth-Max-Age", "30")))).isEqualTo("400 malformed token");
  }

  @Test
  void check_answersPresenceOnly_withCorsForTheParent() {
    CookieBridge.Response present = bridge.answer(request("GET", CHECK, "", false, "Origin", PARENT,
        "Cookie", "other=x; wsauth_probe=stale; wsauth_probe=" + PROBE));
    assertThat(said(present)).isEqualTo("200 present");
    assertThat(present.headers()).containsEntry("Access-Control-Allow-Origin", PARENT)
        .containsEntry("Access-Control-Allow-Credentials", "true").containsEntry("Vary", "Origin")
        .containsEntry("Cache-Control", "no-store");
    // The token cookie alone is not the probe; the answer never carries a cookie value.
    CookieBridge.Response absent = bridge.answer(request("GET", CHECK, "", false, "Origin", PARENT,
        "Cookie", "wsauth=" + TOKEN));
    assertThat(said(absent)).isEqualTo("200 absent");
    assertThat(said(bridge.answer(request("GET", CHECK, "", false, "Origin", PARENT))))
        .isEqualTo("200 absent");
    // A probe left by an earlier call (another value) does not count.
    assertThat(said(bridge.answer(request("GET", CHECK, "", false, "Origin", PARENT,
        "Cookie", "wsauth_probe=0000")))).isEqualTo("200 absent");
    for (String target : new String[] {"/wsauth/check", "/wsauth/check?probe=a&probe=b", "/wsauth/check?probe=a%20b",
        "/wsauth/check?probe="}) {
      assertThat(said(bridge.answer(request("GET", target, "", false, "Origin", PARENT,
          "Cookie", "wsauth_probe=" + PROBE)))).as(target).isEqualTo("400 exactly one probe value required");
    }
  }

  @Test
  void check_otherOrigins_are403_sameOriginWithoutOriginIsAnswered() {
    assertThat(said(bridge.answer(request("GET", CHECK, "", false, "Origin", "https://evil.example",
        "Cookie", "wsauth_probe=" + PROBE)))).isEqualTo("403 origin not allowed");
    assertThat(said(bridge.answer(request("GET", CHECK, "", false, "Cookie", "wsauth_probe=" + PROBE))))
        .isEqualTo("403 origin not allowed");
    CookieBridge.Response same = bridge.answer(request("GET", CHECK, "", false,
        "Sec-Fetch-Site", "same-origin", "Cookie", "wsauth_probe=" + PROBE));
    assertThat(said(same)).isEqualTo("200 present");
    assertThat(same.headers()).doesNotContainKey("Access-Control-Allow-Origin");
    assertThat(said(bridge.answer(request("POST", CHECK, "", false, "Origin", PARENT))))
        .isEqualTo("405 method not allowed");
  }

  @Test
  void cookie_csrfChecks_eachRefuse403() {
    assertThat(said(bridge.answer(post(TOKEN, "Origin", PARENT)))).isEqualTo("403 origin not allowed");
    assertThat(said(bridge.answer(post(TOKEN, "Origin", null)))).isEqualTo("403 origin not allowed");
    assertThat(said(bridge.answer(post(TOKEN, "Sec-Fetch-Site", "cross-site")))).isEqualTo("403 origin not allowed");
    assertThat(said(bridge.answer(post(TOKEN, "Sec-Fetch-Site", "same-site")))).isEqualTo("403 origin not allowed");
    assertThat(bridge.answer(post(TOKEN, "Sec-Fetch-Site", null)).status()).as("older browsers").isEqualTo(204);
    CookieBridge configured = CookieBridge.builder().parentOrigin(PARENT).serverOrigin("https://ws.example").build();
    assertThat(said(configured.answer(post(TOKEN)))).isEqualTo("403 origin not allowed");
    assertThat(configured.answer(post(TOKEN, "Origin", "https://ws.example")).status()).isEqualTo(204);
  }

  @Test
  void cookie_badBody_orHeaders_are4xx() {
    assertThat(said(bridge.answer(post(TOKEN, "Content-Type", "application/json"))))
        .isEqualTo("415 text/plain token expected");
    assertThat(said(bridge.answer(post("a b")))).isEqualTo("400 malformed token");
    assertThat(said(bridge.answer(post("")))).isEqualTo("400 malformed token");
    assertThat(said(bridge.answer(post("a".repeat(CookieBridge.MAX_BODY_BYTES + 1))))).isEqualTo("413 token too long");
    assertThat(said(bridge.answer(post(TOKEN, "X-WsAuth-Max-Age", null)))).isEqualTo("400 max age required");
    assertThat(said(bridge.answer(post(TOKEN, "X-WsAuth-Max-Age", "0")))).isEqualTo("400 max age required");
    assertThat(bridge.answer(post(TOKEN, "X-WsAuth-Max-Age", "99999")).headers().get("Set-Cookie"))
        .contains("; Max-Age=300;");
  }

  @Test
  void page_framedOnlyByTheParent() {
    CookieBridge.Response ok = bridge.answer(request("GET", "/wsauth/cookie-bridge.html?parent=" + PARENT, "", false));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.headers().get("Content-Security-Policy")).endsWith("; frame-ancestors " + PARENT);
    assertThat(ok.headers()).containsEntry("Content-Type", "text/html; charset=utf-8")
        .containsEntry("X-Content-Type-Options", "nosniff").containsEntry("Referrer-Policy", "no-referrer");
    assertThat(said(bridge.answer(request("GET", "/wsauth/cookie-bridge.html?parent=https://evil.example", "",
        false)))).isEqualTo("403 parent origin not allowed");
    assertThat(said(bridge.answer(request("GET", "/wsauth/cookie-bridge.html", "", false))))
        .isEqualTo("400 exactly one parent origin required");
  }

  @Test
  void files_methods_andUnknownNames() {
    CookieBridge.Response head = bridge.answer(request("HEAD", "/wsauth/wsauth.js", "", false));
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().get("Content-Length")).isNotEqualTo("0");
    assertThat(bridge.answer(request("POST", "/wsauth/wsauth.js", "", false)).headers()).containsEntry("Allow",
        "GET, HEAD");
    assertThat(bridge.answer(request("GET", "/wsauth/cookie", "", false)).headers()).containsEntry("Allow", "POST");
    assertThat(said(bridge.answer(request("GET", "/wsauth/../pom.xml", "", false)))).isEqualTo("404 not found");
    assertThat(bridge.covers("/wsauthx/wsauth.js")).isFalse();
    assertThatThrownBy(() -> bridge.answer(request("GET", "/other", "", false)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builder_failsFast() {
    assertThatThrownBy(() -> CookieBridge.builder().build()).hasMessageContaining("parent origin");
    assertThatThrownBy(() -> CookieBridge.builder().parentOrigin("https://App.example"))
        .hasMessage("write the origin as browsers do: https://app.example");
    assertThatThrownBy(() -> CookieBridge.builder().cookieName("a b")).hasMessage("cookie name must be an HTTP token");
    assertThatThrownBy(() -> CookieBridge.builder().cookiePath("/a;b")).hasMessage("cookie path must not contain ';'");
    assertThatThrownBy(() -> CookieBridge.builder().maxCookieAge(Duration.ofDays(2)))
        .hasMessage("max cookie age must be between 1 second and 1 day");
  }

  // Moved from netty-adapter's WsAuthConfigTest (issue 14): Netty's config now takes this object as is.

  @Test
  void parentOrigin_mustBeASerialisedOrigin_canonicalisedByCoresRules_lengthCapIncluded() {
    CookieBridge.Builder b = CookieBridge.builder();
    for (String bad : new String[] {"https://app.example/", "https://APP.example", "https://app.example:443",
        "https://user@app.example", "app.example", "ftp://app.example", "*", "null", "https://app.example/path",
        "wss://app.example", "https://" + "a".repeat(2100) + ".example"}) {
      assertThatThrownBy(() -> b.parentOrigin(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> b.parentOrigin("https://" + "a".repeat(2100) + ".example"))
        .hasMessageStartingWith("not an http(s) origin");
    assertThatThrownBy(() -> b.parentOrigin("wss://app.example")).hasMessageStartingWith("not an http(s) origin");
    assertThatThrownBy(() -> b.serverOrigin("ws.example")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an http(s) origin (scheme://host[:port]): ws.example");
    b.parentOrigin("http://localhost:8080");
    b.parentOrigin("https://app.example");
  }

  @Test
  void builder_pathsAndAges_failFast_withTheirMessages() {
    CookieBridge.Builder b = CookieBridge.builder();
    assertThatThrownBy(() -> b.path("/wsauth/")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bridge path must not end with '/'");
    assertThatThrownBy(() -> b.path("wsauth")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bridge path must start with '/' and hold no query, fragment or space");
    assertThatThrownBy(() -> b.maxCookieAge(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.cookieName("a=b")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void defaults_andAccessors() {
    CookieBridge defaults = CookieBridge.builder().parentOrigin(PARENT).build();
    assertThat(defaults.path()).isEqualTo("/wsauth");
    assertThat(defaults.cookieName()).isEqualTo("wsauth");
    assertThat(defaults.cookiePath()).isEqualTo("/");
    assertThat(defaults.toString()).isEqualTo("CookieBridge[path=/wsauth, parentOrigins=[" + PARENT
        + "], cookieName=wsauth, cookiePath=/, maxCookieAge=PT5M]");
    CookieBridge set = CookieBridge.builder().parentOrigin(PARENT).path("/auth").cookieName("sid").cookiePath("/chat")
        .maxCookieAge(Duration.ofMinutes(1)).build();
    assertThat(set.path()).isEqualTo("/auth");
    assertThat(set.cookieName()).isEqualTo("sid");
    assertThat(set.cookiePath()).isEqualTo("/chat");
    assertThat(set.toString()).contains("maxCookieAge=PT1M");
  }
}
