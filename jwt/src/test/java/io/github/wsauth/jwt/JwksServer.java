package io.github.wsauth.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on 127.0.0.1 and an ephemeral port that serves a JWK Set and counts requests. */
final class JwksServer implements AutoCloseable {
  final AtomicInteger requests = new AtomicInteger();
  private final HttpServer server;
  private volatile String body = new JWKSet().toString();
  private volatile int status = 200;

  JwksServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
  }

  /** Serves the public part of {@code keys} from now on. */
  void serve(JWKSet keys) {
    body = keys.toPublicJWKSet().toString();
  }

  /** Serves {@code raw} as the body, e.g. something that is not a JWK Set. */
  void serveRaw(String raw) {
    body = raw;
  }

  void status(int status) {
    this.status = status;
  }

  URL url(String path) {
    try {
      return new URL("http", "127.0.0.1", server.getAddress().getPort(), path);
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
