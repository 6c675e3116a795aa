package io.github.wsauth.examples.vertx;

import static io.github.wsauth.UpgradeRequest.peerAddress;

import java.util.function.BiConsumer;

import io.github.wsauth.AuthDecision;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.HttpRejection;
import io.github.wsauth.Identity;
import io.github.wsauth.UpgradeRequest;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;

/**
 * wsauth on a Vert.x 5 HTTP server, with no adapter: the whole glue is the handler below, 10 lines not counting
 * braces (numbered). Use it as the server's request handler: {@code
 * vertx.createHttpServer().requestHandler(VertxWsAuth.authenticating(authenticator, app))}.
 */
public final class VertxWsAuth {
  private VertxWsAuth() {}

  /** Authenticates every WebSocket upgrade, then gives {@code app} the socket and who it belongs to. */
  public static Handler<HttpServerRequest> authenticating(HandshakeAuthenticator authenticator,
      BiConsumer<ServerWebSocket, Identity> app) {
    return req -> {
      if (!req.canUpgradeToWebSocket()) { // 1: Vert.x checks GET, HTTP/1.1, Upgrade and Connection
        req.response().setStatusCode(404).end(); // 2
        return; // 3
      }
      AuthDecision decision = authenticator.authenticate("GET", "HTTP/1.1", UpgradeRequest.of(req.uri(), // 4: and
          req.headers(), peerAddress(req.remoteAddress().hostAddress(), req.remoteAddress().port()))); // 5: the key
      if (decision instanceof AuthDecision.Rejected rejected) { // 6: and the version, before the token is used
        HttpRejection answer = rejected.httpResponse(); // 7: what wsauth's adapters send, byte for byte
        answer.headers().forEach(h -> req.response().headers().add(h.name(), h.value())); // 8
        req.response().setStatusCode(answer.status()).end(answer.body()); // 9
      } else {
        req.toWebSocket().onSuccess(ws -> app.accept(ws, decision.acceptedIdentity().orElseThrow())); // 10
      }
    };
  }
}
