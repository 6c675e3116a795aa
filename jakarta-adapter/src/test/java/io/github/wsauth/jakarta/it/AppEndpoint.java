package io.github.wsauth.jakarta.it;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.github.wsauth.jakarta.JakartaWsAuth;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

/** A programmatic application endpoint behind {@link io.github.wsauth.jakarta.WsAuthEndpoint}. */
final class AppEndpoint extends Endpoint {
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

  @Override
  public void onError(Session session, Throwable thr) {
    Recorder.error(thr);
  }

  private static void send(Session session, String text) {
    try {
      session.getBasicRemote().sendText(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
