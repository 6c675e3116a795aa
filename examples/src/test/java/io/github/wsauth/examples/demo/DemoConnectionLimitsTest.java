package io.github.wsauth.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.jakarta.JakartaAuthConfig;

/**
 * Issue 13 item 4 in the demo: unauthenticated connections are bounded on both frameworks. The Netty servers
 * carry {@code NettyWsAuth.connectionGuard} with its defaults; the embedded Tomcat sets {@code connectionTimeout}
 * and {@code maxConnections}, and closes a silent connection after it (real sockets).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoConnectionLimitsTest {
  private Demo demo;

  @BeforeAll
  void start() {
    demo = Demo.start(DemoConfig.builder().ephemeralPorts().build());
  }

  @AfterAll
  void stop() {
    demo.close();
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.setSoLinger(true, 0);
    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    return s;
  }

  /** Whether the server closed the socket (EOF or reset) within {@code millis}. */
  private static boolean closedWithin(Socket s, int millis) throws IOException {
    s.setSoTimeout(millis);
    InputStream in = s.getInputStream();
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Test
  void nettyServers_refuseThe101stIdleConnectionFromOneAddress() throws IOException {
    for (AuthMethod method : List.of(AuthMethod.FIRST_MESSAGE, AuthMethod.COOKIE, AuthMethod.SUBPROTOCOL)) {
      List<Socket> idle = new ArrayList<>();
      try {
        for (int i = 0; i < 100; i++) {
          idle.add(connect(demo.port(method)));
        }
        Socket excess = connect(demo.port(method));
        idle.add(excess);
        assertThat(closedWithin(excess, 1000)).as("%s: the 101st unauthenticated connection", method).isTrue();
        assertThat(closedWithin(idle.get(0), 50)).as("%s: the held ones stay open", method).isFalse();
      } finally {
        for (Socket s : idle) {
          s.close();
        }
      }
    }
  }

  @Test
  void tomcat_setsConnectionTimeoutAndMaxConnections() {
    try (JakartaDemoServer server = JakartaDemoServer.start(AuthMethod.BEARER, 0, bearerConfig())) {
      Connector connector = server.connector();
      assertThat(connector.getProperty("connectionTimeout")).isEqualTo(10_000);
      assertThat(connector.getProperty("maxConnections")).isEqualTo(1000);
      assertThat(connector.getProperty("acceptCount")).isEqualTo(100);
    }
  }

  @Test
  void tomcat_closesASilentConnectionAfterItsConnectionTimeout() throws IOException {
    try (JakartaDemoServer server = JakartaDemoServer.start(AuthMethod.BEARER, 0, bearerConfig(),
        Duration.ofMillis(300))) {
      try (Socket silent = connect(server.port()); Socket partial = connect(server.port())) {
        partial.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        long start = System.nanoTime();
        // Tomcat's poller checks timeouts about once a second: closed within timeout + 1 s.
        assertThat(closedWithin(silent, 1800)).as("a connection that sends nothing").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(closedWithin(partial, 1800)).as("a request that never completes").isTrue();
      }
    }
  }

  private static JakartaAuthConfig bearerConfig() {
    TokenStore store = TokenStore.inMemory(Clock.systemUTC());
    return JakartaAuthConfig.builder().handshake(HandshakeAuthenticator.builder()
        .extractor(CredentialExtractor.bearerHeader())
        .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults()))
        .originPolicy(OriginPolicy.anyOrigin())
        .build()).build();
  }
}
