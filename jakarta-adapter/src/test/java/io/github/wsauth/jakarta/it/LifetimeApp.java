package io.github.wsauth.jakarta.it;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.github.wsauth.jakarta.JakartaWsAuth;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

/** The lifetime scenarios' application: remembers each subject's session and answers "app:" + every message. */
final class LifetimeApp extends Endpoint {
  @Override
  public void onOpen(Session session, EndpointConfig config) {
    String who = JakartaWsAuth.identity(session).orElseThrow().subject();
    Fixture.current().sessions.put(who, session);
    session.addMessageHandler(String.class, (MessageHandler.Whole<String>) m -> send(session, "app:" + m));
  }

  private static void send(Session session, String text) {
    try {
      session.getBasicRemote().sendText(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
