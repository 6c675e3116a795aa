package io.github.wsauth.spring;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.FirstMessageResult;
import io.github.wsauth.Identity;
import io.github.wsauth.TaskScheduler;
import io.github.wsauth.internal.LiveSession;
import io.github.wsauth.jakarta.JakartaAuthConfig;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.web.socket.WebSocketSession;

/**
 * Authenticates STOMP sessions in their {@code CONNECT} frame, the first message of STOMP: the token is taken from
 * the {@code Authorization: Bearer <token>} header or the {@code token} header (both, or either twice, is
 * malformed), verified once with the {@link FirstMessageAuthenticator} (a single-use token is consumed once), and
 * the session's user becomes the {@link Identity}; the {@code CONNECT} passed on holds neither header any more. A refused {@code CONNECT}, a second {@code CONNECT}, and any
 * frame before a successful {@code CONNECT} are answered with an {@code ERROR} frame (its {@code message} header is
 * the short public reason) and the connection is closed: no frame reaches a {@code @MessageMapping} before
 * authentication. Installed on the client inbound channel by the auto-configuration, ahead of the application's
 * interceptors; a session that sends no {@code CONNECT} within the deadline is closed, also after a {@code DISCONNECT}
 * (passed on: it is how Spring reports the end of a session, but before {@code CONNECT} it cancels nothing; Spring's
 * own STOMP handler refuses a client's frame of a session that never connected before this interceptor sees it).
 * A {@code DISCONNECT} of an authenticated session is passed on and ends it here. An authenticated session is
 * registered in the {@code ConnectionRegistry} until it ends: a revocation or the expiry of its identity closes it
 * with an {@code ERROR} frame (its {@code message} header is the close reason) and the close code. Thread-safe.
 */
public final class WsAuthStompInterceptor implements ChannelInterceptor {
  /** The STOMP header that may carry the token instead of {@code Authorization}: {@value}. */
  public static final String TOKEN_HEADER = "token";

  private final FirstMessageAuthenticator authenticator;
  private final Map<String, Identity> sessions = new ConcurrentHashMap<>();
  private final Map<String, TaskScheduler.Cancellable> deadlines = new ConcurrentHashMap<>();
  private final Map<String, WebSocketSession> connections = new ConcurrentHashMap<>();
  private volatile JakartaAuthConfig lifetime;

  /** An interceptor verifying {@code CONNECT} tokens with {@code authenticator}. */
  public WsAuthStompInterceptor(FirstMessageAuthenticator authenticator) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator must not be null");
  }

  @Override
  public Message<?> preSend(Message<?> message, MessageChannel channel) {
    SimpMessageType type = SimpMessageHeaderAccessor.getMessageType(message.getHeaders());
    String sessionId = SimpMessageHeaderAccessor.getSessionId(message.getHeaders());
    if (sessionId == null) {
      throw refuse("no session");
    }
    if (type == SimpMessageType.DISCONNECT) {
      // The end of a session, from the client or from the server when it closed. Before CONNECT it ends nothing
      // here: the deadline keeps running until the connection is closed (a broker relay ignores a session it does
      // not know, so nothing else would close it); the session is forgotten when its connection closes.
      if (sessions.containsKey(sessionId)) {
        forget(sessionId);
      }
      return message;
    }
    StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
    StompCommand command = accessor == null ? null : accessor.getCommand();
    if (command == StompCommand.CONNECT || command == StompCommand.STOMP) {
      if (sessions.containsKey(sessionId)) {
        throw refuse("already authenticated");
      }
      String token = token(accessor);
      FirstMessageResult result = authenticator.authenticate(token);
      if (result instanceof FirstMessageResult.Rejected rejected) {
        throw refuse(rejected.reason());
      }
      Identity identity = ((FirstMessageResult.Accepted) result).identity();
      sessions.put(sessionId, identity);
      TaskScheduler.Cancellable deadline = deadlines.remove(sessionId);
      if (deadline != null) {
        deadline.cancel();
      }
      accessor.setUser(identity);
      // The credential goes no further than wsauth: not to the application's interceptors, not to a broker relay
      // (which forwards a CONNECT's other headers to the external broker), not into what they log.
      accessor.removeNativeHeader("Authorization");
      accessor.removeNativeHeader(TOKEN_HEADER);
      WebSocketSession connection = connections.get(sessionId);
      JakartaAuthConfig config = lifetime;
      if (connection != null && config != null) {
        SpringSessionLifetime.start(connection, identity, config, authenticator.verifier(), true);
      }
      return message;
    }
    if (!sessions.containsKey(sessionId)) {
      throw refuse("authentication required");
    }
    return message;
  }

  /** The token of a CONNECT frame; a missing or malformed one is refused here, before anything is verified. */
  private static String token(StompHeaderAccessor accessor) {
    List<String> authorization = nonNull(accessor.getNativeHeader("Authorization"));
    List<String> token = nonNull(accessor.getNativeHeader(TOKEN_HEADER));
    if (authorization.isEmpty() && token.isEmpty()) {
      throw refuse("credentials required");
    }
    if (authorization.size() + token.size() > 1) {
      throw refuse("malformed credential");
    }
    String value;
    if (!authorization.isEmpty()) {
      String header = authorization.get(0);
      if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        throw refuse("malformed credential");
      }
      value = header.substring(7);
    } else {
      value = token.get(0);
    }
    if (value == null || value.isEmpty() || value.length() > CredentialExtractor.MAX_CREDENTIAL_LENGTH
        || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw refuse("malformed credential");
    }
    return value;
  }

  private static List<String> nonNull(List<String> values) {
    return values == null ? List.of() : values;
  }

  private static MessageDeliveryException refuse(String reason) {
    return new MessageDeliveryException(reason);
  }

  /** The identity of an authenticated STOMP session. */
  public java.util.Optional<Identity> identity(String sessionId) {
    return java.util.Optional.ofNullable(sessions.get(sessionId));
  }

  /** Whether the session has authenticated. */
  boolean authenticated(String sessionId) {
    return sessions.containsKey(sessionId);
  }

  /** Records the close-on-deadline task of a new session. */
  void deadline(String sessionId, TaskScheduler.Cancellable task) {
    deadlines.put(sessionId, task);
  }

  /** The configuration whose lifetime (registry, expiry close) applies to authenticated sessions. */
  void lifetime(JakartaAuthConfig config) {
    this.lifetime = config;
  }

  /** Records the WebSocket session under a STOMP session id (the same id). */
  void opened(WebSocketSession session) {
    connections.put(session.getId(), session);
  }

  /** Forgets a session that ended: unregistered, its timers stopped. */
  void forget(String sessionId) {
    sessions.remove(sessionId);
    WebSocketSession connection = connections.remove(sessionId);
    if (connection != null) {
      SpringSessionLifetime.of(connection).ifPresent(LiveSession::closed);
    }
    TaskScheduler.Cancellable deadline = deadlines.remove(sessionId);
    if (deadline != null) {
      deadline.cancel();
    }
  }

  /** How many sessions this interceptor holds anything for (connection, deadline or identity). */
  int tracked() {
    java.util.Set<String> ids = new java.util.HashSet<>(connections.keySet());
    ids.addAll(deadlines.keySet());
    ids.addAll(sessions.keySet());
    return ids.size();
  }

  /** The authenticator's deadline and its result when it passes. */
  FirstMessageAuthenticator authenticator() {
    return authenticator;
  }

  @Override
  public String toString() {
    return "WsAuthStompInterceptor[" + authenticator + ", " + sessions.size() + " sessions]";
  }
}
