package io.github.wsauth.jakarta.it;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket client over a plain socket, for what the JDK client cannot send: handshakes that break RFC 6455, and
 * frames in the same TCP write as the upgrade request. Closes its socket when closed.
 */
public final class RawClient implements AutoCloseable {
  public static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  private static final int TIMEOUT_MS = 10_000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawClient(int port) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("localhost", port), TIMEOUT_MS);
    socket.setSoTimeout(TIMEOUT_MS);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Connects to localhost. */
  public static RawClient connect(int port) throws IOException {
    return new RawClient(port);
  }

  /** A valid opening handshake for {@code target} (path and query), with extra header lines. */
  public static String upgrade(String target, String... extraHeaderLines) {
    return request("GET", target, "HTTP/1.1", true, true, extraHeaderLines);
  }

  /** A request line and headers; {@code key}/{@code version13} choose whether those headers are sent valid. */
  public static String request(String method, String target, String protocol, boolean key, boolean version13,
      String... extraHeaderLines) {
    StringBuilder b = new StringBuilder();
    b.append(method).append(' ').append(target).append(' ').append(protocol).append("\r\n")
        .append("Host: localhost\r\n")
        .append("Upgrade: websocket\r\n")
        .append("Connection: Upgrade\r\n");
    if (key) {
      b.append("Sec-WebSocket-Key: ").append(KEY).append("\r\n");
    }
    b.append("Sec-WebSocket-Version: ").append(version13 ? "13" : "99").append("\r\n");
    for (String line : extraHeaderLines) {
      b.append(line).append("\r\n");
    }
    if (!"GET".equals(method)) {
      b.append("Content-Length: 0\r\n");
    }
    return b.append("\r\n").toString();
  }

  /** A masked, final text frame (client to server, RFC 6455 §5.2). */
  public static byte[] textFrame(String text) {
    return io.github.wsauth.scenarios.RawUpgrade.maskedTextFrame(text);
  }

  /** Writes everything in one write call (one TCP segment on loopback for small sizes). */
  public void write(byte[]... parts) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      all.write(p);
    }
    out.write(all.toByteArray());
    out.flush();
  }

  /** Writes an ASCII request. */
  public void write(String request) throws IOException {
    write(request.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** An HTTP response head and its body (by Content-Length; none for 101). */
  public record Response(int status, Map<String, String> headers, String body) {
    /** A header by lower-case name, or null. */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Reads one response head and, unless it is 101, its body. */
  public Response readResponse() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed after " + head.size() + " bytes: " + head);
      }
      head.write(c);
      matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
            (a, b) -> a + ", " + b);
      }
    }
    String body = "";
    String length = headers.get("content-length");
    if (status != 101 && length != null) {
      byte[] bytes = in.readNBytes(Integer.parseInt(length));
      body = new String(bytes, StandardCharsets.UTF_8);
    } else if (status != 101 && "chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = readChunked();
    }
    return new Response(status, headers, body);
  }

  private String readChunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = readLine();
      int n = Integer.parseInt(size.split(";")[0].trim(), 16);
      if (n == 0) {
        readLine();
        return body.toString(StandardCharsets.UTF_8);
      }
      body.write(in.readNBytes(n));
      readLine();
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        line.write(c);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  /** A frame from the server: opcode and payload (text or, for close, the code then the reason). */
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    public int closeCode() {
      return payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }
  }

  /** Reads one unmasked server frame. */
  public Frame readFrame() throws IOException {
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
    return new Frame(b0 & 0x0f, in.readNBytes((int) len));
  }

  /** Whether the server closed the connection (EOF or reset) within the timeout, without sending more. */
  public boolean closedByServer() throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private int readByte() throws IOException {
    int c = in.read();
    if (c < 0) {
      throw new EOFException();
    }
    return c;
  }

  /** Closes the connection with a TCP reset (SO_LINGER 0), as a client that vanishes or an attacker does. */
  public void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
