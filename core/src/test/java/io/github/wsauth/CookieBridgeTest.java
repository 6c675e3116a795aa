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

  // Found by PIT (CookieBridge was not mutated before): each test pins one check.

  @Test
  void check_withoutOrigin_onlyASingleSameOriginFetchSiteIsAnswered() {
    assertThat(said(bridge.answer(request("GET", CHECK, "", false, "Sec-Fetch-Site", "cross-site",
        "Cookie", "wsauth_probe=" + PROBE)))).isEqualTo("403 origin not allowed");
    assertThat(said(bridge.answer(request("GET", CHECK, "", false, "Sec-Fetch-Site", "same-origin",
        "Sec-Fetch-Site", "same-origin", "Cookie", "wsauth_probe=" + PROBE)))).isEqualTo("403 origin not allowed");
    assertThat(said(bridge.answer(request("GET", CHECK, "", false, "Origin", "https://evil.example",
        "Sec-Fetch-Site", "same-origin", "Cookie", "wsauth_probe=" + PROBE)))).isEqualTo("403 origin not allowed");
  }

  @Test
  void cookie_bodyOfExactlyTheLimit_andMaxAgeOfOneSecond_areAccepted() {
    String longest = "a".repeat(CookieBridge.MAX_BODY_BYTES);
    assertThat(bridge.answer(post(longest)).headers().get("Set-Cookie")).startsWith("wsauth=" + longest + ";");
    assertThat(bridge.answer(post(TOKEN, "X-WsAuth-Max-Age", "1")).headers().get("Set-Cookie"))
        .contains("; Max-Age=1;");
    assertThat(bridge.answer(post(TOKEN, "X-WsAuth-Max-Age", "999999999")).headers().get("Set-Cookie"))
        .contains("; Max-Age=300;");
  }

  @Test
  void cookie_maxAge_mustBeOneToNineDigits_else400() {
    for (String bad : new String[] {"", "1000000000", "3a", "-5", "+5", " 5", "/", ":"}) {
      assertThat(said(bridge.answer(post(TOKEN, "X-WsAuth-Max-Age", bad)))).as(bad)
          .isEqualTo("400 max age required");
    }
    assertThat(said(bridge.answer(request("POST", "/wsauth/cookie", TOKEN, false, "Origin", SELF, "Content-Type",
        "text/plain", "X-WsAuth-Max-Age", "30", "X-WsAuth-Max-Age", "30")))).isEqualTo("400 max age required");
    assertThat(bridge.answer(post(TOKEN, "X-WsAuth-Max-Age", "0123456789".substring(0, 9))).status())
        .isEqualTo(204);
  }

  @Test
  void cookie_b64token_everyCharacterClassAtItsEdges() {
    String edges = "azAZ09-._~+/";
    assertThat(bridge.answer(post(edges)).headers().get("Set-Cookie")).startsWith("wsauth=" + edges + ";");
    assertThat(bridge.answer(post("ab==")).status()).isEqualTo(204);
    for (String bad : new String[] {"a`b", "a{b", "a@b", "a[b", "a:b", "a,b", "=", "==", "=ab", "ab=c", "ab=-",
        "a\u00e9b", "a\"b"}) {
      assertThat(said(bridge.answer(post(bad)))).as(bad).isEqualTo("400 malformed token");
    }
  }

  @Test
  void cookie_secure_whenTheConfiguredServerOriginIsHttps_notWhenItIsHttp() {
    CookieBridge https = CookieBridge.builder().parentOrigin(PARENT).serverOrigin("https://ws.example").build();
    assertThat(https.answer(post(TOKEN, "Origin", "https://ws.example")).headers().get("Set-Cookie"))
        .endsWith("; HttpOnly; SameSite=Strict; Secure");
    CookieBridge http = CookieBridge.builder().parentOrigin(PARENT).serverOrigin(SELF).build();
    assertThat(http.answer(post(TOKEN)).headers().get("Set-Cookie")).endsWith("; HttpOnly; SameSite=Strict");
  }

  @Test
  void cookie_withoutAConfiguredServerOrigin_needsExactlyOneNonEmptyHost() {
    Map<String, List<String>> h = new LinkedHashMap<>(Map.of("Origin", List.of(SELF), "Content-Type",
        List.of("text/plain"), "X-WsAuth-Max-Age", List.of("30")));
    byte[] body = TOKEN.getBytes(StandardCharsets.UTF_8);
    assertThat(bridge.answer(new CookieBridge.Request("POST", "/wsauth/cookie", h, body, false)).status())
        .isEqualTo(403);
    h.put("Origin", List.of(""));
    assertThat(said(bridge.answer(new CookieBridge.Request("POST", "/wsauth/cookie", h, body, false))))
        .as("no Host and an empty Origin").isEqualTo("403 origin not allowed");
    h.put("Host", List.of(""));
    h.put("Origin", List.of("http://"));
    assertThat(said(bridge.answer(new CookieBridge.Request("POST", "/wsauth/cookie", h, body, false))))
        .as("an empty Host").isEqualTo("403 origin not allowed");
    h.put("Origin", List.of(SELF));
    assertThat(said(bridge.answer(new CookieBridge.Request("POST", "/wsauth/cookie", h, body, false))))
        .isEqualTo("403 origin not allowed");
    h.put("Host", List.of("ws.example:8080", "ws.example:8080"));
    assertThat(said(bridge.answer(new CookieBridge.Request("POST", "/wsauth/cookie", h, body, false))))
        .isEqualTo("403 origin not allowed");
    h.put("Host", List.of("ws.example:8080"));
    assertThat(bridge.answer(new CookieBridge.Request("POST", "/wsauth/cookie", h, body, false)).status())
        .isEqualTo(204);
  }

  @Test
  void bridgeAtTheRootPath_servesItsFiles_andScopesTheProbeCookie() {
    CookieBridge root = CookieBridge.builder().parentOrigin(PARENT).path("/").build();
    assertThat(root.path()).isEqualTo("/");
    assertThat(root.covers("/wsauth.js")).isTrue();
    assertThat(root.answer(request("GET", "/wsauth.js", "", false)).status()).isEqualTo(200);
    assertThat(root.answer(request("POST", "/probe", PROBE, false, "Origin", SELF, "Content-Type", "text/plain",
        "X-WsAuth-Max-Age", "30")).headers().get("Set-Cookie")).contains("; Path=/check;");
  }

  @Test
  void builder_maxCookieAge_oneSecondAndOneDayAreTheBounds() {
    CookieBridge second = CookieBridge.builder().parentOrigin(PARENT).maxCookieAge(Duration.ofSeconds(1)).build();
    assertThat(second.answer(post(TOKEN)).headers().get("Set-Cookie")).contains("; Max-Age=1;");
    CookieBridge day = CookieBridge.builder().parentOrigin(PARENT).maxCookieAge(Duration.ofDays(1)).build();
    assertThat(day.answer(post(TOKEN, "X-WsAuth-Max-Age", "86400")).headers().get("Set-Cookie"))
        .contains("; Max-Age=86400;");
    assertThatThrownBy(() -> CookieBridge.builder().maxCookieAge(Duration.ofDays(1).plusNanos(1)))
        .hasMessage("max cookie age must be between 1 second and 1 day");
  }

  @Test
  void request_headerLists_areImmutableCopies_equalityIsIdentity_andToStringRedacts() {
    List<String> cookies = new java.util.ArrayList<>(List.of("wsauth=" + TOKEN));
    Map<String, List<String>> h = new LinkedHashMap<>(Map.of("cookie", cookies));
    CookieBridge.Request r = new CookieBridge.Request("GET", "/wsauth/check?probe=" + PROBE, h, new byte[0], false);
    cookies.add("other=1");
    assertThat(r.headers("Cookie")).containsExactly("wsauth=" + TOKEN);
    assertThatThrownBy(() -> r.headers("Cookie").add("x=1")).isInstanceOf(UnsupportedOperationException.class);
    CookieBridge.Request twin = new CookieBridge.Request("GET", "/wsauth/check?probe=" + PROBE, h, new byte[0], false);
    assertThat(r).isEqualTo(r).isNotEqualTo(twin);
    assertThat(r.hashCode()).isEqualTo(System.identityHashCode(r));
    assertThat(r.toString()).isEqualTo("CookieBridge.Request[GET /wsauth/check?probe=***]");
  }

  @Test
  void response_equalityIsIdentity_andToStringShowsTheStatusOnly() {
    CookieBridge.Response r = bridge.answer(post(TOKEN));
    CookieBridge.Response twin = new CookieBridge.Response(r.status(), r.headers(), r.body());
    assertThat(r).isEqualTo(r).isNotEqualTo(twin);
    assertThat(r.hashCode()).isEqualTo(System.identityHashCode(r));
    assertThat(r.toString()).isEqualTo("CookieBridge.Response[204]");
  }

  @Test
  void resources_areRead_andAMissingOneFailsWithItsName() {
    assertThat(new String(CookieBridge.read("wsauth.js"), StandardCharsets.UTF_8)).isNotBlank();
    assertThatThrownBy(() -> CookieBridge.read("missing.js")).isInstanceOf(IllegalStateException.class)
        .hasMessage("wsauth-core resource missing: /META-INF/resources/wsauth/missing.js");
  }
}
