package io.github.wsauth.examples.clients;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Fetches a token from the demo app: {@code POST /api/token} with the form fields {@code user} and optionally
 * {@code kind=jwt}, answered with {@code {"token": "...", "expires_in": N}}. A real client would authenticate to
 * the app first (a session, an API key, OAuth client credentials); the demo app trusts the user name.
 * Thread-safe.
 */
public final class TokenClient {
  private final HttpClient http;
  private final URI tokenEndpoint;

  /**
   * @param http the HTTP client
   * @param app the app's base URI, e.g. {@code http://localhost:8000/}
   */
  public TokenClient(HttpClient http, URI app) {
    this.http = Objects.requireNonNull(http, "http must not be null");
    this.tokenEndpoint = Objects.requireNonNull(app, "app must not be null").resolve("/api/token");
  }

  /** A token as the app hands it out. {@code toString()} does not show the value. */
  public record Token(String value, long expiresInSeconds) {
    @Override
    public String toString() {
      return "Token[value=<redacted>, expiresInSeconds=" + expiresInSeconds + "]";
    }
  }

  /** A fresh single-use opaque token for {@code user}. */
  public Token opaque(String user) throws IOException, InterruptedException {
    return fetch(user, null);
  }

  /** A fresh single-use JWT for {@code user}. */
  public Token jwt(String user) throws IOException, InterruptedException {
    return fetch(user, "jwt");
  }

  private Token fetch(String user, String kind) throws IOException, InterruptedException {
    String form = "user=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
        + (kind == null ? "" : "&kind=" + URLEncoder.encode(kind, StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("token endpoint answered HTTP " + response.statusCode());
    }
    try {
      Map<String, Object> json = JSONObjectUtils.parse(response.body());
      Object token = json.get("token");
      Object expiresIn = json.get("expires_in");
      if (!(token instanceof String) || !(expiresIn instanceof Number)) {
        throw new IOException("token endpoint answered an unexpected JSON shape");
      }
      return new Token((String) token, ((Number) expiresIn).longValue());
    } catch (ParseException e) {
      throw new IOException("token endpoint did not answer JSON", e);
    }
  }
}
