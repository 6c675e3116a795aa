package io.github.wsauth.examples.demo;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.websocket.server.WsSci;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.jakarta.WsAuthEndpoint;
import io.github.wsauth.jakarta.WsAuthFilter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;

/**
 * {@link BrowserHttp2JettyTest}'s four handshakes against Tomcat 11 with HTTP/2 on (TLS, ALPN {@code h2}): Tomcat
 * serves the page over HTTP/2 but does not offer WebSockets over it (it sends no {@code
 * SETTINGS_ENABLE_CONNECT_PROTOCOL}), so every browser opens its WebSockets with HTTP/1.1 upgrades on connections of
 * their own, and wsauth answers them as always (101, 401, 401, 101). Runs in the default execution (Tomcat on the
 * class path, Jetty off it).
 */
class BrowserHttp2TomcatTest extends Http2Pages {
  private Tomcat tomcat;

  @BeforeEach
  void start() throws Exception {
    Path keyStore = selfSignedKeyStore(dir);
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort(); // the origin policy needs the port before Tomcat binds it: a free one, released
    }
    JakartaAuthConfig config = queryTokenConfig(store, "https://localhost:" + port);

    tomcat = new Tomcat();
    tomcat.setSilent(true);
    Path base = Files.createDirectories(dir.resolve("tomcat"));
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(port);
    connector.setProperty("address", "127.0.0.1");
    connector.setScheme("https");
    connector.setSecure(true);
    connector.setProperty("SSLEnabled", "true");
    SSLHostConfig tls = new SSLHostConfig();
    SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(tls, SSLHostConfigCertificate.Type.UNDEFINED);
    certificate.setCertificateKeystoreFile(keyStore.toString());
    certificate.setCertificateKeystorePassword("changeit");
    certificate.setCertificateKeystoreType("PKCS12");
    tls.addCertificate(certificate);
    connector.addSslHostConfig(tls);
    connector.addUpgradeProtocol(new Http2Protocol());
    tomcat.setConnector(connector);

    Context context = tomcat.addContext("", base.toString());
    ((StandardContext) context).setClearReferencesThreadLocals(false);
    ((StandardContext) context).setClearReferencesRmiTargets(false);
    context.addServletContainerInitializer(new WsSci(), null);
    context.addServletContainerInitializer((classes, servletContext) -> {
      // As the demo deploys its endpoint: the filter for the path, WsAuthEndpoint around HelloEndpoint.
      WsAuthFilter.install(servletContext, config, "/chat");
      ServerContainer container = (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
      try {
        container.addEndpoint(WsAuthEndpoint.builder("/chat", config, HelloEndpoint::new).build());
      } catch (DeploymentException e) {
        throw new ServletException(e);
      }
    }, null);
    Tomcat.addServlet(context, "page", new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/html;charset=utf-8");
        response.getWriter().write(PAGE);
      }
    });
    context.addServletMapping("/", "page");
    context.getPipeline().addValve(new ValveBase() {
      @Override
      public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        if (request.getRequestURI().equals("/chat")) {
          handshakes.add(new Handshake(request.getMethod() + " " + request.getProtocol() + " /chat",
              response.getStatus(), Integer.toString(request.getRemotePort())));
        }
      }
    });
    tomcat.start();
  }

  @AfterEach
  void stop() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }

  @ParameterizedTest
  @EnumSource(value = HeadlessBrowser.Kind.class, names = {"CHROMIUM", "FIREFOX", "WEBKIT"})
  void withHttp2OnTomcat_browsersOpenTheirWebSocketsOverHttp11_andEachHandshakeIsAuthenticated(
      HeadlessBrowser.Kind kind) throws Exception {
    try (HeadlessBrowser browser = kind.startOrSkip(true)) {
      pageThenFourHandshakes(browser, "Tomcat");

      fourHandshakesWere(browser, "Tomcat 11", "GET HTTP/1.1", 101);
    }
  }
}
