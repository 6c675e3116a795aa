package io.github.wsauth.examples.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A hand-written HTTP/1.1 and WebSocket client over one {@link Socket}: it sends exactly the bytes it is given
 * (no normalisation, no header validation) and parses what comes back byte by byte, so hostile requests reach the
 * server as written. Not thread-safe; one instance per connection.
 */
final class RawClient implements AutoCloseable {
  /** How long any single read waits before the case counts as a hang. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects to {@code port} on the loopback address. */
  static RawClient connect(int port) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout((int) READ_TIMEOUT.toMillis());
    s.setTcpNoDelay(true);
    return new RawClient(s);
  }

  /** Connects to {@code port} on the loopback address from the local address {@code from} (e.g. 127.0.0.2). */
  static RawClient connect(InetAddress from, int port) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port, from, 0);
    s.setSoTimeout((int) READ_TIMEOUT.toMillis());
    s.setTcpNoDelay(true);
    return new RawClient(s);
  }

  /** Sends {@code text} as ISO-8859-1 bytes (so {@code \u0000} and {@code \u00ff} go out as single bytes). */
  RawClient send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Sends bytes, flushed, in one write. */
  RawClient send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** The HTTP response to a request. */
  record Response(String statusLine, int status, List<String[]> headers, byte[] body) {
    /** Every value of a header (case-insensitive name). */
    List<String> all(String name) {
      List<String> values = new ArrayList<>();
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          values.add(h[1]);
        }
      }
      return values;
    }

    /** The first value of a header. */
    Optional<String> first(String name) {
      List<String> values = all(name);
      return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder(statusLine);
      for (String[] h : headers) {
        b.append(" | ").append(h[0]).append(": ").append(h[1]);
      }
      return b.toString();
    }
  }

  /** Reads one response head (and its body when it has a {@code Content-Length} and is not a 101). */
  Response readResponse() throws IOException {
    String statusLine = readLine();
    if (statusLine == null) {
      throw new IOException("connection closed before any response");
    }
    List<String[]> headers = new ArrayList<>();
    for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      headers.add(colon < 0 ? new String[] {line, ""}
          : new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
    }
    String[] parts = statusLine.split(" ", 3);
    int status = parts.length >= 2 && parts[1].matches("\\d{3}") ? Integer.parseInt(parts[1]) : -1;
    byte[] body = new byte[0];
    boolean hasLength = false;
    for (String[] h : headers) {
      if (h[0].equalsIgnoreCase("content-length") && status != 101) {
        body = in.readNBytes(Integer.parseInt(h[1]));
        hasLength = true;
      }
    }
    if (!hasLength && status >= 200 && status != 204 && status != 304) {
      // RFC 9112 6.3: without a length, the body ends when the server closes the connection.
      body = in.readAllBytes();
    }
    return new Response(statusLine, status, headers, body);
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        byte[] b = line.toByteArray();
        int n = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
      }
      line.write(c);
      if (line.size() > 65536) {
        throw new IOException("response line too long");
      }
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  /** A WebSocket frame from the server. */
  record Frame(boolean fin, int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The close code of a close frame, 1005 when it has none. */
    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }

    String closeReason() {
      return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
    }

    @Override
    public String toString() {
      return opcode == 8 ? "close " + closeCode() + " " + closeReason() : "frame op=" + opcode + " " + text();
    }
  }

  /** Reads one frame; throws if the connection ends first. */
  Frame readFrame() throws IOException {
    int b0 = readByte();
    int b1 = readByte();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = (readByte() << 8) | readByte();
    } else if (len == 127) {
      len = 0;
      for (int i = 0; i < 8; i++) {
        len = (len << 8) | readByte();
      }
    }
    if (len > 1 << 20) {
      throw new IOException("frame too large: " + len);
    }
    byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
    byte[] payload = in.readNBytes((int) len);
    if (payload.length != len) {
      throw new IOException("connection closed inside a frame");
    }
    if (mask != null) {
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= mask[i % 4];
      }
    }
    return new Frame((b0 & 0x80) != 0, b0 & 0x0f, payload);
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new IOException("connection closed");
    }
    return b;
  }

  /** A masked client frame, as RFC 6455 §5.3 requires. */
  static byte[] frame(boolean fin, int opcode, byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write((fin ? 0x80 : 0) | opcode);
    if (payload.length < 126) {
      f.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      f.write(0x80 | 126);
      f.write(payload.length >>> 8);
      f.write(payload.length & 0xff);
    } else {
      f.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        f.write((int) ((long) payload.length >>> (8 * i)) & 0xff);
      }
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    f.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      f.write(payload[i] ^ mask[i % 4]);
    }
    return f.toByteArray();
  }

  static byte[] textFrame(String text) {
    return frame(true, 1, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends a masked text frame. */
  RawClient sendText(String text) throws IOException {
    return send(textFrame(text));
  }

  /** Everything the server sends within {@code wait} (less if it closes first). */
  byte[] readFor(Duration wait) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    long deadline = System.nanoTime() + wait.toNanos();
    byte[] buf = new byte[4096];
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return got.toByteArray();
        }
        socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
        int n = in.read(buf);
        if (n < 0) {
          return got.toByteArray();
        }
        got.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      return got.toByteArray();
    } catch (IOException e) {
      return got.toByteArray(); // reset
    } finally {
      if (!socket.isClosed()) {
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
      }
    }
  }

  /**
   * Whether the server closed the connection (end of stream or reset) within {@code wait}, reading and discarding
   * whatever it still sends; false if it is still open after {@code wait}.
   */
  boolean closedWithin(Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    byte[] buf = new byte[4096];
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
      try {
        if (in.read(buf) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // reset by the server
      } finally {
        if (!socket.isClosed()) {
          socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
