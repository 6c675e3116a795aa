package io.github.wsauth.jakarta.it;

import java.io.IOException;

import io.github.wsauth.Identity;
import io.github.wsauth.jakarta.JakartaWsAuth;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/** An annotated endpoint authenticated in the handshake; says who it thinks connected. */
@ServerEndpoint(value = "/hs/annotated", configurator = FixtureConfigurator.class, subprotocols = Fixture.PROTOCOL)
public class HelloEndpoint {

  static String describe(Identity identity, String protocol) {
    if (identity == null) {
      return "hello anonymous";
    }
    return "hello subject=" + identity.subject() + " source=" + identity.source().map(Enum::name).orElse("-")
        + " protocol=" + (protocol == null || protocol.isEmpty() ? "-" : protocol);
  }

  @OnOpen
  public void open(Session session) throws IOException {
    Recorder.opened();
    Recorder.principal(session.getUserPrincipal() instanceof Identity i ? "identity:" + i.subject()
        : String.valueOf(session.getUserPrincipal()));
    Recorder.request("query=" + session.getQueryString() + " uri=" + session.getRequestURI() + " parameters="
        + new java.util.TreeMap<>(session.getRequestParameterMap()));
    session.getBasicRemote().sendText(describe(JakartaWsAuth.identity(session).orElse(null),
        session.getNegotiatedSubprotocol()));
  }

  @OnMessage
  public String echo(String message) {
    Recorder.message(message);
    return "echo:" + message;
  }
}
