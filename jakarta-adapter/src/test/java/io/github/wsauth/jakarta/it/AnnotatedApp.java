package io.github.wsauth.jakarta.it;

import java.io.IOException;

import io.github.wsauth.jakarta.JakartaWsAuth;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;

/** An annotated application endpoint wrapped by {@link io.github.wsauth.jakarta.WsAuthEndpoint#annotated}. */
public class AnnotatedApp {
  @OnOpen
  public void open(Session session) throws IOException {
    Recorder.opened();
    session.getBasicRemote().sendText("welcome-annotated "
        + JakartaWsAuth.identity(session).map(i -> i.subject()).orElse("anonymous"));
  }

  @OnError
  public void error(Throwable t) {
    Recorder.error(t);
  }

  @OnMessage
  public String message(String m, Session session) {
    Recorder.message(m);
    return "app:" + m;
  }
}
