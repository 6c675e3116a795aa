package io.github.wsauth.examples.demo;

import java.io.IOException;
import java.util.Optional;

import io.github.wsauth.Identity;
import io.github.wsauth.jakarta.JakartaWsAuth;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

/**
 * The application endpoint of the Jakarta demo servers: greets the user wsauth authenticated, waits for the
 * goodbye, closes with 1000; a {@code {"token": "…"}} message meanwhile re-authenticates the session in-band
 * ({@link JakartaWsAuth#reauthenticate}). It only ever runs for authenticated handshakes, inside {@link
 * io.github.wsauth.jakarta.WsAuthEndpoint}.
 */
public final class HelloEndpoint extends Endpoint {

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    Optional<Identity> identity = JakartaWsAuth.identity(session);
    if (identity.isEmpty()) {
      // Cannot happen with the wsauth filter and configurator in front; fail closed all the same.
      close(session, CloseReason.CloseCodes.VIOLATED_POLICY, "not authenticated");
      return;
    }
    String user = identity.get().subject();
    session.addMessageHandler(String.class, (MessageHandler.Whole<String>) message -> {
      Optional<String> token = Json.tokenMessage(message);
      if (token.isPresent()) {
        // In-band re-authentication: a fresh token of the same user moves the session's expiry; any other token
        // closes the session with 1008 (wsauth does the closing).
        JakartaWsAuth.reauthenticate(session, token.get());
      } else if (HelloProtocol.isGoodbye(user, message)) {
        close(session, CloseReason.CloseCodes.NORMAL_CLOSURE, HelloProtocol.BYE);
      } else {
        close(session, CloseReason.CloseCodes.VIOLATED_POLICY, HelloProtocol.UNEXPECTED);
      }
    });
    // Blocking: when onOpen returns the greeting is written, so a close that follows a reply to it never meets a
    // write in progress (Tomcat then dropped the close frame: the client saw 1006 in about 3% of the cases).
    try {
      session.getBasicRemote().sendText(HelloProtocol.hello(user));
    } catch (IOException e) {
      // The peer is gone already.
    }
  }

  private static void close(Session session, CloseReason.CloseCode code, String reason) {
    try {
      session.close(new CloseReason(code, reason));
    } catch (IOException e) {
      // The peer is gone already.
    }
  }
}
