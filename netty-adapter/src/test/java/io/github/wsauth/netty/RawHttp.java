package io.github.wsauth.netty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A raw HTTP/1.1 client over a plain socket, for what real clients never send: absolute-form targets, invalid
 * handshakes, oversized or undecodable headers, several requests on one keep-alive connection. Every read has a
 * 5-second timeout, so a server that does not answer fails the test instead of hanging it.
 */
final class RawHttp implements AutoCloseable {
  static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** One response: status code, headers (lower-case names, last value wins) and body. */
  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  static RawHttp connect(int port) throws IOException {
    return new RawHttp(port);
  }

  /** A valid RFC 6455 opening handshake for {@code target}, with extra header lines ({@code "Name: value"}). */
  static String upgrade(String target, String... headerLines) {
    return request("GET", target, "HTTP/1.1", "Host: 127.0.0.1", "Upgrade: websocket", "Connection: Upgrade",
        "Sec-WebSocket-Key: " + KEY, "Sec-WebSocket-Version: 13") + String.join("", lines(headerLines)) + "\r\n";
  }

  /** A request head without the final empty line: request line and header lines. */
  static String request(String method, String target, String version, String... headerLines) {
    return method + " " + target + " " + version + "\r\n" + String.join("", lines(headerLines));
  }

  private static String[] lines(String[] headerLines) {
    String[] out = new String[headerLines.length];
    for (int i = 0; i < headerLines.length; i++) {
      out[i] = headerLines[i] + "\r\n";
    }
    return out;
  }

  RawHttp send(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  /** Reads one response; fails on timeout; null if the server closed the connection before answering. */
  Response read() throws IOException {
    String statusLine = line();
    if (statusLine == null) {
      return null;
    }
    if (!statusLine.startsWith("HTTP/1.")) {
      throw new AssertionError("not a status line: " + statusLine);
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h; !(h = line()).isEmpty(); ) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
    }
    int length = status == 101 ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  /** The text of the next WebSocket frame the server sends (unmasked, short text frames only). */
  String readTextFrame() throws IOException {
    int b0 = in.read();
    int len = in.read() & 0x7f;
    if (b0 != 0x81 || len > 125) {
      throw new AssertionError("not a short text frame: " + b0 + " " + len);
    }
    return new String(in.readNBytes(len), StandardCharsets.UTF_8);
  }

  /** Whether the server closes the connection (end of stream or reset) within the read timeout. */
  boolean closedByServer() throws IOException {
    try {
      int b = in.read();
      if (b < 0) {
        return true;
      }
      throw new AssertionError("the server sent more: " + (char) b + new String(in.readNBytes(in.available()),
          StandardCharsets.ISO_8859_1));
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // connection reset: closed with unread input
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; ; ) {
      try {
        b = in.read();
      } catch (SocketException e) {
        b = -1;
      }
      if (b < 0) {
        if (line.size() == 0) {
          return null;
        }
        throw new AssertionError("connection closed mid-line: " + line);
      }
      if (b == '\n') {
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
