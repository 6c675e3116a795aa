package io.github.wsauth.scenarios;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads core's first-message scenario table (the test-jar's classpath resource {@code /first-message-scenarios.txt},
 * the one table every adapter runs) and plays a row over a raw socket: upgrade, the row's frames, then the server's
 * answer as {@code "accept <first text frame>"} or {@code "<close code> <reason>"}.
 */
public final class FirstMessageScenarioTable {
  /** The cap and deadline every runner configures. */
  public static final int MAX_BYTES = 256;
  /** The first-message deadline every runner configures. */
  public static final java.time.Duration DEADLINE = java.time.Duration.ofSeconds(1); // beaten on a loaded CI machine
  /** A well-formed opaque token nobody issued. */
  public static final String UNKNOWN = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);

  private FirstMessageScenarioTable() {}

  /** One row of the table. */
  public record Row(String name, String flag, List<String> frames, String expected) {
    /** Whether the frames go out in one write together with the upgrade request. */
    public boolean pipelined() {
      return flag.equals("pipelined");
    }

    /** Whether the token store is down while the row plays. */
    public boolean storeDown() {
      return flag.equals("store-down");
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** The table's rows, read from the classpath resource {@code /first-message-scenarios.txt}. */
  public static List<Row> rows() throws IOException {
    List<String> lines;
    try (InputStream in = FirstMessageScenarioTable.class.getResourceAsStream("/first-message-scenarios.txt")) {
      if (in == null) {
        throw new UncheckedIOException(new IOException("first-message-scenarios.txt is not on the class path"));
      }
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    List<Row> rows = new ArrayList<>();
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] cols = line.split("\\|");
      String frames = cols[2].trim();
      rows.add(new Row(cols[0].trim(), cols[1].trim(),
          frames.equals("-") ? List.of() : List.of(frames.split("\\s+")), cols[3].trim()));
    }
    return rows;
  }

  /** The bytes of the row's frames (masked, as a client sends them), with {@code token} for TOKEN. */
  public static byte[] frames(Row row, String token) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String f : row.frames()) {
      int colon = f.indexOf(':');
      String kind = f.substring(0, colon);
      byte[] payload = value(f.substring(colon + 1), token).getBytes(StandardCharsets.UTF_8);
      boolean fin = !kind.endsWith("-part");
      int opcode = kind.startsWith("text") ? 1 : kind.startsWith("cont") ? 0 : 2;
      out.writeBytes(frame(fin, opcode, payload));
    }
    return out.toByteArray();
  }

  private static String value(String spec, String token) {
    if (spec.equals("TOKEN")) {
      return token;
    }
    if (spec.startsWith("TOKEN[")) {
      String[] range = spec.substring(6, spec.length() - 1).split(":", -1);
      int from = Integer.parseInt(range[0]);
      int to = range[1].isEmpty() ? token.length() : Integer.parseInt(range[1]);
      return token.substring(from, to);
    }
    if (spec.equals("UNKNOWN")) {
      return UNKNOWN;
    }
    if (spec.startsWith("A*")) {
      return "a".repeat(Integer.parseInt(spec.substring(2)));
    }
    if (spec.startsWith("E*")) {
      return "\u00e9".repeat(Integer.parseInt(spec.substring(2))); // two bytes of UTF-8 each
    }
    return spec;
  }

  /** A masked client frame (RFC 6455 §5.2), payloads up to 65535 bytes. */
  public static byte[] frame(boolean fin, int opcode, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((fin ? 0x80 : 0) | opcode);
    if (payload.length < 126) {
      out.write(0x80 | payload.length);
    } else {
      out.write(0x80 | 126);
      out.write(payload.length >> 8);
      out.write(payload.length & 0xff);
    }
    byte[] mask = {0x0a, 0x1b, 0x2c, 0x3d};
    out.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i % 4]);
    }
    return out.toByteArray();
  }

  /** Plays the row against the server on {@code port} at {@code path}; returns the outcome. */
  public static String play(int port, String path, Row row, String token) throws IOException {
    String upgrade = "GET " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      byte[] frames = frames(row, token);
      if (row.pipelined()) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(upgrade.getBytes(StandardCharsets.ISO_8859_1));
        all.writeBytes(frames);
        out.write(all.toByteArray());
        out.flush();
        readHead(in);
      } else {
        out.write(upgrade.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        readHead(in);
        out.write(frames);
        out.flush();
      }
      while (true) {
        int b0 = in.read();
        if (b0 < 0) {
          return "eof";
        }
        int len = in.read() & 0x7f;
        if (len == 126) {
          len = (in.read() << 8) | in.read();
        }
        byte[] payload = in.readNBytes(len);
        int opcode = b0 & 0x0f;
        if (opcode == 8) {
          int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
          String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
          return code + " " + reason;
        }
        if (opcode == 1) {
          return "accept " + new String(payload, StandardCharsets.UTF_8);
        }
      }
    }
  }

  private static void readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("connection closed during the handshake: " + head);
      }
      head.append((char) c);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("not upgraded: " + head.toString().lines().findFirst().orElse(""));
    }
  }
}
