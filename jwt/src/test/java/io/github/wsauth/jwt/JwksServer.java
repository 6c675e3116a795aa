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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on 127.0.0.1 and an ephemeral port that serves a JWK Set and counts requests. */
final class JwksServer implements AutoCloseable {
  final AtomicInteger requests = new AtomicInteger();
  private final HttpServer server;
  private volatile String body = new JWKSet().toString();
  private volatile int status = 200;
  private volatile long delayMillis;
  /** One thread per exchange: a stalled answer does not hold up the next request. */
  private final ExecutorService threads = Executors.newCachedThreadPool();

  JwksServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      if (delayMillis > 0) {
        try {
          Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
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

  /** Waits this long before answering each request, e.g. longer than the client's read timeout. */
  void delay(long millis) {
    this.delayMillis = millis;
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
    threads.shutdownNow();
  }
}
