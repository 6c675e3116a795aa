package io.github.wsauth.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.util.JSONObjectUtils;

import io.github.wsauth.testkit.MutableClock;

/** The demo app's HTTP side: the pages, {@code /config.json} and the token endpoint's answers. */
class WebAppTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Demo demo;

  @BeforeAll
  static void start() {
    demo = Demo.start(DemoConfig.builder().ephemeralPorts()
        .clock(MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"))).build());
  }

  @AfterAll
  static void stop() {
    demo.close();
  }

  private static HttpResponse<String> post(String path, String contentType, String body, String origin)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(demo.appUri().resolve(path))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (origin != null) {
      b.header("Origin", origin);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> form(String body) throws Exception {
    return post("/api/token", "application/x-www-form-urlencoded", body, null);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(demo.appUri().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void token_user_returnsFreshOpaqueTokenWithItsLifetime() throws Exception {
    HttpResponse<String> a = form("user=alice");
    HttpResponse<String> b = form("user=alice");

    assertThat(a.statusCode()).isEqualTo(200);
    assertThat(a.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(a.headers().firstValue("Cache-Control")).hasValue("no-store");
    Map<String, Object> ja = JSONObjectUtils.parse(a.body());
    Map<String, Object> jb = JSONObjectUtils.parse(b.body());
    assertThat((String) ja.get("token")).matches("[A-Za-z0-9_-]{43}");
    assertThat(ja.get("token")).isNotEqualTo(jb.get("token"));
    assertThat(((Number) ja.get("expires_in")).longValue()).isEqualTo(30);
  }

  @Test
  void token_userWithSpaceAndUnicode_isIssued() throws Exception {
    HttpResponse<String> r = form("user=al+ice&kind=opaque");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(form("user=%C3%A9lodie").statusCode()).isEqualTo(200);
  }

  @Test
  void token_badUser_is400() throws Exception {
    assertThat(form("").statusCode()).isEqualTo(400);
    assertThat(form("user=").statusCode()).isEqualTo(400);
    assertThat(form("user=a%3Ab").statusCode()).as("colon").isEqualTo(400);
    assertThat(form("user=a%0Ab").statusCode()).as("control character").isEqualTo(400);
    assertThat(form("user=" + "x".repeat(65)).statusCode()).as("too long").isEqualTo(400);
    assertThat(form("user=" + "x".repeat(64)).statusCode()).as("64 characters").isEqualTo(200);
    // Characters, not UTF-16 units: 64 characters outside the BMP (128 chars in Java) are 64 characters.
    assertThat(form("user=" + "%F0%9F%98%80".repeat(64)).statusCode()).as("64 emoji").isEqualTo(200);
    assertThat(form("user=" + "%F0%9F%98%80".repeat(65)).statusCode()).as("65 emoji").isEqualTo(400);
    assertThat(form("user=%ZZ").statusCode()).as("bad percent-encoding").isEqualTo(400);
    assertThat(form("user=%C3%28").statusCode()).as("not UTF-8").isEqualTo(400);
    assertThat(form("user=a&user=b").statusCode()).as("repeated field").isEqualTo(400);
  }

  @Test
  void token_unknownKind_is400() throws Exception {
    HttpResponse<String> r = form("user=alice&kind=saml");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("kind");
  }

  @Test
  void token_foreignOrigin_is403_ownOrigin_isIssued() throws Exception {
    String type = "application/x-www-form-urlencoded";
    assertThat(post("/api/token", type, "user=alice", "http://evil.example").statusCode()).isEqualTo(403);
    assertThat(post("/api/token", type, "user=alice", "null").statusCode()).isEqualTo(403);
    assertThat(post("/api/token", type, "user=alice", demo.appOrigin()).statusCode()).isEqualTo(200);
  }

  @Test
  void token_wrongMethodTypeOrSize_isRefused() throws Exception {
    assertThat(get("/api/token").statusCode()).isEqualTo(405);
    assertThat(post("/api/token", "application/json", "{\"user\":\"alice\"}", null).statusCode()).isEqualTo(415);
    assertThat(post("/api/token", null, "user=alice", null).statusCode()).isEqualTo(415);
    assertThat(form("user=alice&pad=" + "x".repeat(5000)).statusCode()).isEqualTo(413);
  }

  @Test
  void pages_formAndTestPage_areServed() throws Exception {
    HttpResponse<String> root = get("/");
    assertThat(root.statusCode()).isEqualTo(200);
    assertThat(root.body()).contains("<form").contains("name=\"user\"").contains("action=\"/demo\"");
    assertThat(get("/demo?user=alice").body()).contains("id=\"methods\"").contains("/demo.js");
    assertThat(get("/demo.js").body()).contains("data-status").doesNotContain("localhost:800");
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    assertThat(post("/", "text/plain", "x", null).statusCode()).isEqualTo(405);
  }

  @Test
  void config_listsEveryServerAndTheTokenLifetime() throws Exception {
    HttpResponse<String> r = get("/config.json");
    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, Object> json = JSONObjectUtils.parse(r.body());
    assertThat(((Number) json.get("tokenLifetimeSeconds")).longValue()).isEqualTo(30);
    assertThat(json.get("singleUse")).isEqualTo(true);
    Map<String, Object> servers = JSONObjectUtils.getJSONObject(json, "servers");
    for (AuthMethod m : AuthMethod.values()) {
      assertThat(servers.get(m.id())).isEqualTo(demo.serverUri(m).toString());
    }
    assertThat(JSONObjectUtils.getStringList(json, "browserMethods"))
        .containsExactly("first-message", "query-param", "cookie", "user-info", "subprotocol");
    Map<String, Object> bridge = JSONObjectUtils.getJSONObject(json, "cookieBridge");
    assertThat(bridge.get("origin")).isEqualTo("http://localhost:" + demo.port(AuthMethod.COOKIE));
  }

  @Test
  void events_unknownMethod_is400_knownMethodWithoutEvents_isEmpty() throws Exception {
    assertThat(get("/api/events?method=telepathy").statusCode()).isEqualTo(400);
    HttpResponse<String> r = get("/api/events?method=bearer");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("{");
  }
}
