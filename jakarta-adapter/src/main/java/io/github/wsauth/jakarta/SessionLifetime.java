package io.github.wsauth.jakarta;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.internal.LiveSession;
import jakarta.websocket.CloseReason;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

/**
 * Drives core's {@link LiveSession} for a {@link WsAuthEndpoint} session: timers on the config's scheduler, closes
 * as {@code Session.close}, the warning to the config's {@link ExpiryWarningListener}. For in-band
 * re-authentication the application gets a view of its session whose whole-text message handlers first offer
 * each message to the live session (a {@code {"token": "…"}} message is taken, and so is one that starts so but is
 * over the first message's size cap, closed with 1009; any other is passed on).
 */
final class SessionLifetime implements LiveSession.Connection {
  private final Session session;
  private final JakartaAuthConfig config;

  private SessionLifetime(Session session, JakartaAuthConfig config) {
    this.session = session;
    this.config = config;
  }

  static LiveSession start(Session session, Identity identity, JakartaAuthConfig config, TokenVerifier fallback) {
    return LiveSession.startIn(session.getUserProperties(), identity,
        LiveSession.Settings.of(config, fallback, config.scheduler()), new SessionLifetime(session, config));
  }

  /** The session as the connection core's timers close and warn (the expiry close of {@link JakartaWsAuth}). */
  static LiveSession.Connection connection(Session session, JakartaAuthConfig config) {
    return new SessionLifetime(session, config);
  }

  static Optional<LiveSession> of(Session session) {
    return LiveSession.in(session.getUserProperties());
  }

  @Override
  public boolean isOpen() {
    return session.isOpen();
  }

  @Override
  public void close(int code, String reason) {
    try {
      session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
    } catch (IOException | RuntimeException e) {
      // already closing
    }
  }

  @Override
  public void expiresSoon(Identity identity, Duration remaining) {
    config.expiryWarningListener().expiresSoon(session, identity, remaining);
  }

  /**
   * The session as the application sees it when in-band messages re-authenticate: every call goes to {@code
   * session}, except that a whole-text handler is registered wrapped ({@link LiveSession#offerInBand} with
   * {@code first}'s size cap decides which messages it gets).
   */
  static Session inBandView(Session session, LiveSession live, FirstMessageAuthenticator first) {
    Map<MessageHandler, MessageHandler> wrapped = new ConcurrentHashMap<>();
    InvocationHandler h = (proxy, method, args) -> {
      switch (method.getName()) {
        case "addMessageHandler" -> {
          // addMessageHandler(String.class, whole) or addMessageHandler(whole) of a Whole<String> class
          if (args[args.length - 1] instanceof MessageHandler.Whole<?> whole
              && (args.length == 2 ? args[0] == String.class : isWholeString(whole))) {
            MessageHandler w = wrap(live, first, castWhole(whole));
            wrapped.put(whole, w);
            session.addMessageHandler(String.class, castWhole(w));
            return null;
          }
        }
        case "removeMessageHandler" -> {
          MessageHandler w = wrapped.remove(args[0]);
          session.removeMessageHandler(w != null ? w : (MessageHandler) args[0]);
          return null;
        }
        case "equals" -> {
          return proxy == args[0];
        }
        case "hashCode" -> {
          return System.identityHashCode(proxy);
        }
        case "toString" -> {
          return "WsAuthSession[" + session.getId() + "]";
        }
        default -> { }
      }
      try {
        return method.invoke(session, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class}, h);
  }

  @SuppressWarnings("unchecked")
  private static MessageHandler.Whole<String> castWhole(MessageHandler handler) {
    return (MessageHandler.Whole<String>) handler;
  }

  private static MessageHandler.Whole<String> wrap(LiveSession live, FirstMessageAuthenticator first,
      MessageHandler.Whole<String> app) {
    return text -> {
      if (!live.offerInBand(LiveSession.TextMessage.of(text), first)) { // taken: re-authenticated, or closed
        app.onMessage(text);
      }
    };
  }

  /** Whether a handler's class declares {@code MessageHandler.Whole<String>} (as the container resolves it). */
  static boolean isWholeString(MessageHandler handler) {
    for (Class<?> c = handler.getClass(); c != null; c = c.getSuperclass()) {
      for (Type t : c.getGenericInterfaces()) {
        if (t instanceof ParameterizedType p && p.getRawType() == MessageHandler.Whole.class
            && p.getActualTypeArguments()[0] == String.class) {
          return true;
        }
      }
    }
    return false;
  }
}
