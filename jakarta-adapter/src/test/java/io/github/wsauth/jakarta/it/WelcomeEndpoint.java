package io.github.wsauth.jakarta.it;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.github.wsauth.jakarta.JakartaWsAuth;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

/** A programmatic endpoint the container instantiates itself: greets with the identity's subject, echoes. */
public final class WelcomeEndpoint extends Endpoint {
  /** Created by the container. */
  public WelcomeEndpoint() {}

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    Recorder.opened();
    String who = JakartaWsAuth.identity(session).map(i -> i.subject()).orElse("anonymous");
    session.addMessageHandler(String.class, (MessageHandler.Whole<String>) m -> {
      Recorder.message(m);
      send(session, "app:" + m);
    });
    send(session, "welcome " + who);
  }

  private static void send(Session session, String text) {
    try {
      session.getBasicRemote().sendText(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
