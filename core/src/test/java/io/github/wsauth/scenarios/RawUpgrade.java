package io.github.wsauth.scenarios;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Issue 13, item 6, shared by both adapters' tests: the malformed queries (the JDK clients refuse to send
 * {@code %ZZ}) and one upgrade request over a raw socket, answered by the HTTP head and body, or by the
 * application's greeting after a 101.
 */
public final class RawUpgrade {
  private RawUpgrade() {}

  /**
   * Query templates that do not decode, before or after the token ({@code %s} is the token), for
   * {@code @MethodSource("io.github.wsauth.scenarios.RawUpgrade#malformedQueries")}.
   */
  public static Stream<String> malformedQueries() {
    return Stream.of("token=%s&x=%%ZZ", "token=%s&x=%%", "token=%s&x=%%1", "token=%s&x=%%%%", "token=%s&%%%%",
        "x=%%ZZ&token=%s", "x=%%&token=%s", "x=%%1&token=%s", "x=%%%%&token=%s", "token=%s&x=%%FF");
  }

  /**
   * One upgrade request for {@code target} over a fresh socket to 127.0.0.1:{@code port}, with the given
   * {@code Host} and {@code Origin}; the answer's head and its body, or (after a 101) the application's greeting
   * (one short unmasked text frame), so that its open callback has run before the next request.
   */
  public static Response upgrade(int port, String host, String target, String origin) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Origin: " + origin + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      Response r = new Response(head, "");
      if (r.status() == 101) {
        int opcode = in.read();
        int length = in.read();
        if (opcode != 0x81 || length < 0 || length > 125) {
          return new Response(head, "no greeting (opcode " + opcode + ", length " + length + ")");
        }
        return new Response(head, new String(in.readNBytes(length), StandardCharsets.UTF_8));
      }
      List<String> length = r.headers("Content-Length");
      byte[] body = length.isEmpty() ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length.get(0).strip()));
      return new Response(head, new String(body, StandardCharsets.UTF_8));
    }
  }

  /** A masked, final text frame (client to server, RFC 6455 §5.2) of at most 125 bytes. */
  public static byte[] maskedTextFrame(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    if (payload.length > 125) {
      throw new IllegalArgumentException("short frames only");
    }
    byte[] mask = {0x11, 0x22, 0x33, 0x44};
    byte[] frame = new byte[2 + 4 + payload.length];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) (0x80 | payload.length);
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    return frame;
  }

  /**
   * Reads an HTTP response head, up to and including its empty line; an {@code IOException} if the stream ends
   * first.
   */
  public static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before the end of the head: " + head);
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * An HTTP answer: its head (status line and headers, ISO-8859-1) and its body or greeting.
   *
   * @param head the status line and headers, up to and including the blank line
   * @param body the body, or the greeting after a 101
   */
  public record Response(String head, String body) {
    /** The status code. */
    public int status() {
      return Integer.parseInt(head.substring(9, 12));
    }

    /** The values of every header named {@code name} (case-insensitive), in order. */
    public List<String> headers(String name) {
      List<String> values = new ArrayList<>();
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
          values.add(line.substring(colon + 1).strip());
        }
      }
      return values;
    }
  }
}
