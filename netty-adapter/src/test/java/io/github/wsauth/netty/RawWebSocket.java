package io.github.wsauth.netty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw-socket WebSocket client for wire-level tests: writes exactly the bytes it is given, in the writes it is
 * given (so a test decides the segmentation), and parses what the server answers (status line, then frames).
 */
final class RawWebSocket implements AutoCloseable {
  static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  final Socket socket;
  private final InputStream in;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /** Connects to {@code 127.0.0.1:port} with a read timeout. */
  static RawWebSocket connect(int port) throws IOException {
    return connectFrom("127.0.0.1", port);
  }

  /** Connects from the local address {@code from} (any 127.x.y.z works on Linux) to {@code 127.0.0.1:port}. */
  static RawWebSocket connectFrom(String from, int port) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(from, 0));
    s.setTcpNoDelay(true);
    s.setSoTimeout(5000);
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return new RawWebSocket(s);
  }

  /** A WebSocket upgrade request for {@code path} with the extra header lines (each ending in CRLF). */
  static byte[] upgradeRequest(String path, String extraHeaders) {
    return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** A masked client text frame (FIN set), as RFC 6455 §5.3 requires of clients. */
  static byte[] maskedText(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x81);
    if (payload.length < 126) {
      out.write(0x80 | payload.length);
    } else {
      out.write(0x80 | 126);
      out.write(payload.length >>> 8);
      out.write(payload.length & 0xff);
    }
    byte[] mask = {0x11, 0x22, 0x33, 0x44};
    out.write(mask, 0, 4);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i % 4]);
    }
    return out.toByteArray();
  }

  /** A masked client Close frame with {@code code} and no reason. */
  static byte[] maskedClose(int code) {
    byte[] mask = {0x11, 0x22, 0x33, 0x44};
    byte[] payload = {(byte) (code >>> 8), (byte) code};
    return new byte[] {(byte) 0x88, (byte) 0x82, mask[0], mask[1], mask[2], mask[3],
        (byte) (payload[0] ^ mask[0]), (byte) (payload[1] ^ mask[1])};
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }

  void write(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  /** Reads the HTTP response head; returns its status line. */
  String readStatusLine() throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after " + head.length() + " bytes of the response head");
      }
      head.append((char) b);
    }
    return head.substring(0, head.indexOf("\r\n"));
  }

  /**
   * Reads server frames until the server closes or {@code max} frames were read; text frames as their text, a
   * close frame as {@code close:<code>}.
   */
  List<String> readFrames(int max) throws IOException {
    List<String> frames = new ArrayList<>();
    while (frames.size() < max) {
      int b0 = in.read();
      if (b0 < 0) {
        break;
      }
      int len = in.read() & 0x7f;
      if (len == 126) {
        len = (in.read() << 8) | in.read();
      }
      byte[] payload = in.readNBytes(len);
      int opcode = b0 & 0x0f;
      if (opcode == 0x8) {
        frames.add("close:" + (payload.length >= 2 ? ((payload[0] & 0xff) << 8 | (payload[1] & 0xff)) : -1));
        break;
      }
      frames.add(opcode == 0x1 ? new String(payload, StandardCharsets.UTF_8) : "opcode:" + opcode);
    }
    return frames;
  }

  /**
   * Reads the next server frame: a text frame as its text, a close frame as {@code close:<code> <reason>}; throws
   * if the connection ends first (an {@link java.net.SocketException} "Connection reset" if it was reset).
   */
  String readFrame() throws IOException {
    int b0 = in.read();
    if (b0 < 0) {
      throw new IOException("connection closed before a frame");
    }
    int len = in.read() & 0x7f;
    if (len == 126) {
      len = (in.read() << 8) | in.read();
    }
    byte[] payload = in.readNBytes(len);
    if (payload.length < len) {
      throw new IOException("connection closed inside a frame");
    }
    int opcode = b0 & 0x0f;
    if (opcode == 0x8) {
      return "close:" + (payload.length >= 2 ? ((payload[0] & 0xff) << 8 | (payload[1] & 0xff)) : -1) + " "
          + (payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "");
    }
    return opcode == 0x1 ? new String(payload, StandardCharsets.UTF_8) : "opcode:" + opcode;
  }

  /** The next byte the server sends, or -1 at EOF (a reset or the read timeout throws). */
  int readByte() throws IOException {
    return in.read();
  }

  /** Whether the server closed the connection (EOF or reset) within the socket's read timeout. */
  boolean closedByServer() throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
