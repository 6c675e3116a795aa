package io.github.wsauth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.github.wsauth.scenarios.RawUpgrade;
import io.github.wsauth.scenarios.UpgradeScenarios;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * "Logs belong to the whole server", for clients that never authenticate: connections reset by their peer (a client
 * that vanishes, or one that opens connections to fill the server's log) before the upgrade with half a request,
 * after the STOMP endpoint's upgrade before any {@code CONNECT}, and halfway through a {@code CONNECT} frame that
 * carries a token, leave no line at WARN or ERROR, no stack trace and no token in the application's log (Spring
 * Boot, embedded Tomcat, Logback), and the STOMP sessions are forgotten (deadline, connection): what an
 * unauthenticated client leaves behind is bounded. The capture itself is shown by {@link TokensStayOutOfTheLogsTest}.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnauthenticatedResetsTest extends AppTestBase {
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  @Autowired
  WsAuthStompInterceptor interceptor;

  @Test
  void unauthenticatedConnectionsResetByTheirPeer_leaveNoWarningAndNoStackTrace_andAreForgotten(CapturedOutput output)
      throws Exception {
    String t = token("rita");
    int from = output.getAll().length();
    int tracked = interceptor.tracked();
    for (int i = 0; i < 5; i++) {
      // Half a request to a handshake-authenticated path, its token in the query, then a reset.
      try (Socket s = connect()) {
        write(s, ("GET " + UpgradeScenarios.PATH + "?token=" + t + " HTTP/1.1\r\nHost: localhost\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        Thread.sleep(20);
        reset(s);
      }
      // The STOMP endpoint, upgraded, no CONNECT yet (the interceptor holds its session), then a reset.
      try (Socket s = connect()) {
        upgradeStomp(s);
        long held = System.nanoTime() + 10_000_000_000L;
        while (interceptor.tracked() <= tracked && System.nanoTime() < held) {
          Thread.sleep(1);
        }
        assertThat(interceptor.tracked()).as("the upgraded session, held").isGreaterThan(tracked);
        reset(s);
      }
      // Half of a CONNECT frame carrying the token, then a reset: the container's read fails mid-frame.
      try (Socket s = connect()) {
        upgradeStomp(s);
        byte[] frame = RawUpgrade.maskedTextFrame("CONNECT\naccept-version:1.2\nAuthorization:Bearer " + t + "\n\n\0");
        write(s, Arrays.copyOf(frame, frame.length / 2));
        Thread.sleep(20);
        reset(s);
      }
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (interceptor.tracked() > tracked && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(interceptor.tracked()).as("STOMP sessions the interceptor still holds").isEqualTo(tracked);
    Thread.sleep(300); // let any record of the resets land
    String log = output.getAll().substring(from);
    List<String> loud = log.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList();
    assertThat(loud).as("lines at WARN or ERROR").isEmpty();
    assertThat(log).as("stack traces").doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(log).doesNotContain(t);
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    s.setSoTimeout(10_000);
    return s;
  }

  private static void write(Socket s, byte[] bytes) throws IOException {
    s.getOutputStream().write(bytes);
    s.getOutputStream().flush();
  }

  /** Closes with a TCP reset (SO_LINGER 0). */
  private static void reset(Socket s) throws IOException {
    s.setSoLinger(true, 0);
    s.close();
  }

  private static void upgradeStomp(Socket s) throws IOException {
    write(s, ("GET /stomp HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    String head = RawUpgrade.readHead(s.getInputStream());
    assertThat(head).startsWith("HTTP/1.1 101");
  }
}
