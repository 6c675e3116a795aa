package io.github.wsauth.jakarta.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;

import io.github.wsauth.scenarios.RawUpgrade;

/**
 * Jetty's HTTP/2 client writing exactly what a browser writes to open a WebSocket over HTTP/2 (RFC 8441) on an h2c
 * connection (prior knowledge): a {@code CONNECT} stream with {@code :protocol}, {@code Sec-WebSocket-Version: 13}
 * and no {@code Upgrade}, {@code Connection} or key. Shared with wsauth-spring's tests through this module's test
 * jar.
 */
public final class ExtendedConnectClient implements AutoCloseable {
  private static final long WAIT = 10;

  private final HTTP2Client h2 = new HTTP2Client();

  /** A started client. */
  public ExtendedConnectClient() throws Exception {
    h2.start();
  }

  /**
   * Opens a connection to {@code 127.0.0.1:port}, waits for the server's SETTINGS (which allow the extended
   * {@code CONNECT}), opens a stream with an extended {@code CONNECT} of {@code protocol} to {@code pathAndQuery}
   * with {@code Sec-WebSocket-Version: 13} and {@code headers} (which may replace it), and waits for the response's
   * headers.
   */
  public Exchange open(int port, String pathAndQuery, String protocol, Map<String, String> headers)
      throws Exception {
    CompletableFuture<Session> settings = new CompletableFuture<>();
    Session session = h2.connect(new InetSocketAddress("127.0.0.1", port), new Session.Listener() {
      @Override
      public void onSettings(Session s, SettingsFrame frame) {
        settings.complete(s);
      }
    }).get(WAIT, TimeUnit.SECONDS);
    settings.get(WAIT, TimeUnit.SECONDS);
    HttpFields.Mutable fields = HttpFields.build().put("Sec-WebSocket-Version", "13");
    headers.forEach(fields::put);
    MetaData.ConnectRequest request = new MetaData.ConnectRequest(HttpScheme.HTTP,
        new HostPortHttpField("127.0.0.1:" + port), pathAndQuery, fields, protocol);
    Exchange exchange = new Exchange();
    exchange.stream.complete(session.newStream(new HeadersFrame(request, null, false), exchange)
        .get(WAIT, TimeUnit.SECONDS));
    exchange.response.get(WAIT, TimeUnit.SECONDS);
    return exchange;
  }

  @Override
  public void close() throws IOException {
    try {
      h2.stop();
    } catch (Exception e) {
      throw new IOException("cannot stop the HTTP/2 client", e);
    }
  }

  /** One HTTP/2 stream: the response's headers, then its data (the body, or the WebSocket's frames). */
  public static final class Exchange implements Stream.Listener {
    private final CompletableFuture<MetaData.Response> response = new CompletableFuture<>();
    private final LinkedBlockingQueue<byte[]> data = new LinkedBlockingQueue<>();
    private final CompletableFuture<Stream> stream = new CompletableFuture<>();
    /** Received WebSocket bytes not yet returned as a frame. */
    private final ByteArrayOutputStream frames = new ByteArrayOutputStream();

    @Override
    public void onHeaders(Stream stream, HeadersFrame frame) {
      if (frame.getMetaData() instanceof MetaData.Response r) {
        response.complete(r);
      }
      stream.demand();
    }

    @Override
    public void onDataAvailable(Stream stream) {
      Stream.Data d = stream.readData();
      if (d != null) {
        ByteBuffer buffer = d.frame().getByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        data.add(bytes);
        d.release();
        if (d.frame().isEndStream()) {
          return;
        }
      }
      stream.demand();
    }

    /** The response's status. */
    public int status() throws Exception {
      return response.get(WAIT, TimeUnit.SECONDS).getStatus();
    }

    /** The response's headers, by case-insensitive name (the last value of each). */
    public Map<String, String> headers() throws Exception {
      Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      response.get(WAIT, TimeUnit.SECONDS).getHttpFields().forEach(f -> out.put(f.getName(), f.getValue()));
      return out;
    }

    /** Every value of the response's header {@code name}, in order. */
    public List<String> headerValues(String name) throws Exception {
      return response.get(WAIT, TimeUnit.SECONDS).getHttpFields().getValuesList(name);
    }

    /** The response body: the data until the stream ends or {@code Content-Length} is reached, as UTF-8. */
    public String body() throws Exception {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (byte[] chunk; (chunk = data.poll(WAIT, TimeUnit.SECONDS)) != null && chunk.length > 0; ) {
        out.write(chunk);
        if (out.size() >= response.get().getHttpFields().getLongField("Content-Length")) {
          break;
        }
      }
      return out.toString(StandardCharsets.UTF_8);
    }

    /** The next WebSocket frame from the server, a close frame: its status code. */
    public int nextCloseCode() throws Exception {
      byte[] payload = nextFrame(0x88);
      assertThat(payload.length).as("a close frame with a status code").isGreaterThanOrEqualTo(2);
      return (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
    }

    /** The next WebSocket frame from the server, a final text frame: its payload. */
    public String nextText() throws Exception {
      return new String(nextFrame(0x81), StandardCharsets.UTF_8);
    }

    /**
     * Sends {@code text} as one masked WebSocket text frame (at most 125 bytes) in a DATA frame of this stream, as
     * a browser sends a message on a WebSocket over HTTP/2.
     */
    public void sendText(String text) throws Exception {
      Stream s = stream.get(WAIT, TimeUnit.SECONDS);
      s.data(new DataFrame(s.getId(), ByteBuffer.wrap(RawUpgrade.maskedTextFrame(text)), false))
          .get(WAIT, TimeUnit.SECONDS);
    }

    /** The payload of the next unmasked frame from the server, whose first byte must be {@code firstByte}. */
    private byte[] nextFrame(int firstByte) throws Exception {
      while (true) {
        byte[] b = frames.toByteArray();
        if (b.length >= 2) {
          int length = b[1] & 0x7F;
          int header = 2;
          if (length == 126 && b.length >= 4) {
            length = (b[2] & 0xFF) << 8 | b[3] & 0xFF;
            header = 4;
          } else if (length == 126 || length == 127) {
            length = Integer.MAX_VALUE; // not yet complete (127: frames this large are not expected here)
          }
          if (length != Integer.MAX_VALUE && b.length >= header + length) {
            assertThat(b[0] & 0xFF).as("the frame's FIN and opcode").isEqualTo(firstByte);
            frames.reset();
            frames.write(b, header + length, b.length - header - length);
            return Arrays.copyOfRange(b, header, header + length);
          }
        }
        byte[] chunk = data.poll(WAIT, TimeUnit.SECONDS);
        assertThat(chunk).as("a WebSocket frame").isNotNull();
        frames.write(chunk);
      }
    }
  }
}
