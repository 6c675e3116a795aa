package io.github.wsauth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The complete HTTP answer to a refused WebSocket upgrade: status, headers in the order to send them, and body.
 * Every wsauth adapter writes exactly this, so the same refusal reads the same on every server; a server without
 * an adapter writes it too (see {@code docs/OTHER-SERVERS.md}):
 *
 * <pre>{@code
 * if (decision instanceof AuthDecision.Rejected rejected) {
 *   HttpRejection answer = rejected.httpResponse();
 *   response.setStatusCode(answer.status());
 *   answer.headers().forEach(h -> response.headers().add(h.name(), h.value()));
 *   response.end(answer.body());
 * }
 * }</pre>
 *
 * <p>The headers, in this order: one {@code WWW-Authenticate} per challenge (RFC 7617, RFC 6750 §3); {@code
 * Allow: GET} on 405 (RFC 9110 §15.5.6); {@code Sec-WebSocket-Version: 13} on 426 (RFC 6455 §4.4); {@code
 * Retry-After: 5} on 503; then {@code Cache-Control: no-store}, {@code X-Content-Type-Options: nosniff}, {@code
 * Connection: close} (a refused upgrade ends the connection) and {@code Content-Type: text/plain;charset=utf-8}.
 * The framing header {@code Content-Length} is the server's to add. The body is the short public reason and a line
 * feed: never a secret, never request data.
 *
 * @param status the HTTP status, 4xx or 5xx
 * @param headers the headers to send, in order; a name may repeat
 * @param body the body text (UTF-8)
 */
public record HttpRejection(int status, List<Header> headers, String body) {
  /**
   * The {@code Content-Type} of every rejection body. The charset is written in lowercase because Jetty rewrites
   * it so (a parameter value that is case-insensitive, RFC 9110 §8.3.2), and every server must send the same bytes.
   */
  public static final String CONTENT_TYPE = "text/plain;charset=utf-8";
  /** The {@code Retry-After} seconds sent with a 503. */
  public static final String RETRY_AFTER_SECONDS = "5";

  /** Validates and copies. */
  public HttpRejection {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be 4xx or 5xx: " + status);
    }
    headers = List.copyOf(headers);
    Objects.requireNonNull(body, "body must not be null");
  }

  /**
   * The answer for a refusal with {@code status}, {@code WWW-Authenticate} {@code challenges} and a public
   * {@code reason}; the same as {@code new AuthDecision.Rejected(status, challenges, reason).httpResponse()}.
   */
  public static HttpRejection of(int status, List<String> challenges, String reason) {
    Objects.requireNonNull(reason, "reason must not be null");
    List<Header> h = new ArrayList<>(challenges.size() + 6);
    for (String challenge : challenges) {
      h.add(new Header("WWW-Authenticate", challenge));
    }
    if (status == 405) {
      h.add(new Header("Allow", "GET"));
    } else if (status == 426) {
      h.add(new Header("Sec-WebSocket-Version", "13"));
    } else if (status == 503) {
      h.add(new Header("Retry-After", RETRY_AFTER_SECONDS));
    }
    h.add(new Header("Cache-Control", "no-store"));
    h.add(new Header("X-Content-Type-Options", "nosniff"));
    h.add(new Header("Connection", "close"));
    h.add(new Header("Content-Type", CONTENT_TYPE));
    return new HttpRejection(status, h, reason + "\n");
  }

  /**
   * The reason phrase of the status line (RFC 9110 §15), for a server that sets one itself: {@code "Unauthorized"}
   * for 401; {@code "Error"} for a status wsauth never answers with.
   *
   * @return the phrase
   */
  public String reasonPhrase() {
    switch (status) {
      case 400:
        return "Bad Request";
      case 401:
        return "Unauthorized";
      case 403:
        return "Forbidden";
      case 405:
        return "Method Not Allowed";
      case 414:
        return "URI Too Long";
      case 426:
        return "Upgrade Required";
      case 431:
        return "Request Header Fields Too Large";
      case 503:
        return "Service Unavailable";
      default:
        return "Error";
    }
  }

  /** The body as UTF-8 bytes (a new array each call). */
  public byte[] bodyBytes() {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The headers grouped by name, in order of first appearance, each with its values in order: for APIs that take
   * a header map (Quarkus {@code HttpUpgradeCheck.CheckResult}, Jakarta {@code HandshakeResponse}). Immutable.
   */
  public Map<String, List<String>> headerMap() {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (Header h : headers) {
      map.computeIfAbsent(h.name(), k -> new ArrayList<>(1)).add(h.value());
    }
    map.replaceAll((k, v) -> List.copyOf(v));
    return Collections.unmodifiableMap(map);
  }

  /** The values of the header {@code name} (case-insensitive), in order; empty if absent. */
  public List<String> headerValues(String name) {
    List<String> values = new ArrayList<>(1);
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase(name)) {
        values.add(h.value());
      }
    }
    return List.copyOf(values);
  }

  /**
   * One response header.
   *
   * @param name the header name
   * @param value the header value
   */
  public record Header(String name, String value) {
    /** Validates. */
    public Header {
      Objects.requireNonNull(name, "header name must not be null");
      Objects.requireNonNull(value, "header value must not be null");
    }
  }
}
