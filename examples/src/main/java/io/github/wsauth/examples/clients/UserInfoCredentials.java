package io.github.wsauth.examples.clients;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Basic credentials taken from a URI's user info ({@code ws://user:password@host/}), percent-decoded strictly as
 * RFC 3986 §2.1 says: {@code %XX} octets, then UTF-8; {@code +} is a plus, not a space (that is form encoding).
 * The JDK's {@code HttpClient} and {@code WebSocket} ignore user info, so a client turns it into an {@code
 * Authorization: Basic} header itself (RFC 7617, UTF-8) and connects to the URI without it.
 *
 * <pre>{@code
 * URI uri = URI.create("ws://al%20ice:" + token + "@localhost:8004/");
 * UserInfoCredentials creds = UserInfoCredentials.from(uri).orElseThrow();
 * http.newWebSocketBuilder().header("Authorization", creds.basicAuthorization())
 *     .buildAsync(UserInfoCredentials.withoutUserInfo(uri), listener);
 * }</pre>
 *
 * @param username the decoded user-id; never contains a colon (RFC 7617)
 * @param password the decoded password, here the token
 */
public record UserInfoCredentials(String username, String password) {

  /** Validates. */
  public UserInfoCredentials {
    Objects.requireNonNull(username, "username must not be null");
    Objects.requireNonNull(password, "password must not be null");
    if (username.indexOf(':') >= 0) {
      throw new IllegalArgumentException("a Basic user-id cannot contain a colon (RFC 7617 §2)");
    }
  }

  /**
   * The credentials in {@code uri}'s user info, or empty if it has none. The raw user info is split at its first
   * colon before decoding, so an encoded colon ({@code %3A}) may appear in the password.
   *
   * @throws IllegalArgumentException if the user info is not valid percent-encoded UTF-8, or has no colon
   */
  public static Optional<UserInfoCredentials> from(URI uri) {
    String raw = uri.getRawUserInfo();
    if (raw == null) {
      return Optional.empty();
    }
    int colon = raw.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("user info has no password");
    }
    return Optional.of(new UserInfoCredentials(percentDecode(raw.substring(0, colon)),
        percentDecode(raw.substring(colon + 1))));
  }

  /** {@code Basic base64(user:password)} over UTF-8 (RFC 7617 §2.1, {@code charset="UTF-8"}). */
  public String basicAuthorization() {
    byte[] pair = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(pair);
  }

  /** {@code uri} without its user info, so the secret is not sent or logged as part of the URI. */
  public static URI withoutUserInfo(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    return URI.create(uri.getScheme() + "://" + uri.getHost() + port + path + query);
  }

  /** Strict RFC 3986 percent-decoding to UTF-8. */
  static String percentDecode(String s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("truncated percent-encoding in user info");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("invalid percent-encoding in user info");
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        // java.net.URI allows other characters unencoded; take them as UTF-8.
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.writeBytes(b);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("user info is not UTF-8 after percent-decoding");
    }
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "UserInfoCredentials[username=" + username + ", password=<redacted>]";
  }
}
