package io.github.wsauth.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.jakarta.WsAuthEndpoint;
import io.github.wsauth.jakarta.WsAuthFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * WebSockets over HTTP/2 (RFC 8441) from real browsers, on a real Jetty 12 with TLS and ALPN ({@code h2},
 * {@code http/1.1}), the way a production Jetty with HTTP/2 on serves them: the page is loaded over HTTP/2 and the
 * browser then opens its WebSockets as extended {@code CONNECT} streams on that same connection (no {@code
 * Upgrade}, no key). Before wsauth understood that handshake, {@code WsAuthFilter} answered every one of them 405.
 *
 * <p>This is also "authenticate the request, not the connection" for multiplexing: a stream with a valid token
 * opens, and a later stream on the same connection, with no token, while the first WebSocket is still open, is
 * refused (401) on its own; a spent token is refused and a fresh one opens.
 *
 * <p>Chromium and Firefox use HTTP/2 for the handshake (asserted: a fallback to HTTP/1.1 fails the test). WebKitGTK
 * loads the page over HTTP/2 but opens its WebSockets with HTTP/1.1 upgrades on connections of their own (asserted
 * too, so a change shows); the answers are the same.
 */
class BrowserHttp2JettyTest extends Http2Pages {
  private Server server;

  @BeforeEach
  void start() throws Exception {
    Path keyStore = selfSignedKeyStore(dir);
    server = new Server();
    HttpConfiguration https = new HttpConfiguration();
    https.addCustomizer(new SecureRequestCustomizer());
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStorePath(keyStore.toString());
    tls.setKeyStorePassword("changeit");
    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(https);
    assertThat(h2.isConnectProtocolEnabled()).as("Jetty's default: WebSockets over HTTP/2 allowed").isTrue();
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
    alpn.setDefaultProtocol("http/1.1");
    ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn,
        h2, new HttpConnectionFactory(https));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    connector.open();
    port = connector.getLocalPort();

    JakartaAuthConfig config = queryTokenConfig(store, "https://localhost:" + port);
    JakartaAuthConfig firstMessage = JakartaAuthConfig.builder()
        .firstMessage(FirstMessageAuthenticator.builder()
            .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults()))
            .format(FirstMessageAuthenticator.Format.JSON)
            .build())
        .originPolicy(OriginPolicy.allowOnly("https://localhost:" + port))
        .build();
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/html;charset=utf-8");
        response.getWriter().write(PAGE);
      }
    }), "/");
    JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) -> {
      // Deployed as the demo deploys its endpoint: WsAuthEndpoint around the demo's HelloEndpoint, which greets the
      // user wsauth authenticated. /chat authenticates the handshake (with the filter), /first the first message.
      container.addEndpoint(WsAuthEndpoint.builder("/chat", config, HelloEndpoint::new).build());
      WsAuthFilter.install(servletContext, config, "/chat");
      container.addEndpoint(WsAuthEndpoint.builder("/first", firstMessage, HelloEndpoint::new).build());
    });
    server.setHandler(new Handler.Wrapper(context) {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (!path.equals("/chat") && !path.equals("/first")) {
          return super.handle(request, response, callback);
        }
        String handshake = request.getMethod() + " " + request.getConnectionMetaData().getProtocol() + " " + path;
        String connection = request.getConnectionMetaData().getId();
        return super.handle(request, response, Callback.from(callback,
            () -> handshakes.add(new Handshake(handshake, response.getStatus(), connection))));
      }
    });
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  @ParameterizedTest
  @EnumSource(value = HeadlessBrowser.Kind.class, names = {"CHROMIUM", "FIREFOX", "WEBKIT"})
  void browsersOpenTheirWebSocketsOverHttp2_andEachHandshakeIsAuthenticatedOnItsOwn_asIsTheFirstMessage(
      HeadlessBrowser.Kind kind) throws Exception {
    try (HeadlessBrowser browser = kind.startOrSkip(true)) {
      pageThenFourHandshakes(browser, "Jetty");

      // WebKitGTK opens its WebSockets with an HTTP/1.1 upgrade on a connection of their own (libsoup does not do
      // RFC 8441): the same server, the same answers.
      boolean h2 = kind != HeadlessBrowser.Kind.WEBKIT;
      String how = h2 ? "CONNECT HTTP/2.0" : "GET HTTP/1.1";
      int upgraded = h2 ? 200 : 101;
      List<Handshake> chat = fourHandshakesWere(browser, "Jetty 12", how, upgraded);
      if (h2) {
        // Chromium sends all four on the page's connection; Firefox opens a new one after a refused stream. Either
        // way a stream was refused on a connection that carried an authenticated WebSocket, still open.
        assertThat(chat).filteredOn(h -> h.status() == 401)
            .anyMatch(refused -> chat.stream().anyMatch(h -> h.status() == upgraded
                && h.connection().equals(refused.connection())));
      }

      // First-message authentication from the same page: upgraded either way (the token is judged after the
      // upgrade), a valid token greeted, the spent one closed with 1008, which reaches the browser.
      String first = "wss://localhost:" + port + "/first";
      String alice = issuer.issue("alice").value();
      Supplier<String> answers = () -> "Jetty's answers so far: " + handshakes;
      assertThat(browser.call(OPEN_AND_SEND, first, alice)).as(answers)
          .isEqualTo("message: " + HelloProtocol.hello("alice"));
      assertThat(browser.call(OPEN_AND_SEND, first, alice)).as(answers).isEqualTo("closed: 1008");
      List<Handshake> firsts = handshakes.subList(chat.size(), handshakes.size());
      assertThat(firsts).extracting(Handshake::request).containsOnly(how + " /first");
      assertThat(firsts).extracting(Handshake::status).containsOnly(upgraded).hasSize(2);
      BrowserMatrix.recordLine(browser, "page over HTTP/2 from Jetty 12 with TLS, first-message authentication",
          "opened as " + how + " /first: a valid token greeted, the spent token closed with 1008");
    }
  }
}
