package io.github.wsauth.spring;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import io.github.wsauth.Identity;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.internal.LiveSession;
import io.github.wsauth.jakarta.JakartaAuthConfig;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Drives core's {@link LiveSession} for a Spring {@link WebSocketSession}: registered in the lifetime's {@code
 * ConnectionRegistry} (so a {@code Revoker} closes it), closed on expiry, by the Jakarta configuration's clock and
 * scheduler. A STOMP session is told why in an {@code ERROR} frame (its {@code message} header is the close reason)
 * before the close.
 */
final class SpringSessionLifetime implements LiveSession.Connection {
  private final WebSocketSession session;
  private final boolean stomp;

  private SpringSessionLifetime(WebSocketSession session, boolean stomp) {
    this.session = session;
    this.stomp = stomp;
  }

  /** Starts the lifetime of {@code session}, just accepted as {@code identity}. */
  static LiveSession start(WebSocketSession session, Identity identity, JakartaAuthConfig config,
      TokenVerifier verifier, boolean stomp) {
    return LiveSession.startIn(session.getAttributes(), identity,
        LiveSession.Settings.of(config, verifier, config.scheduler()), new SpringSessionLifetime(session, stomp));
  }

  /** The live session of {@code session}, if it was started. */
  static Optional<LiveSession> of(WebSocketSession session) {
    return LiveSession.in(session.getAttributes());
  }

  @Override
  public boolean isOpen() {
    return session.isOpen();
  }

  @Override
  public void close(int code, String reason) {
    if (stomp) {
      try {
        StompHeaderAccessor error = StompHeaderAccessor.create(StompCommand.ERROR);
        error.setMessage(reason);
        byte[] frame = new StompEncoder().encode(MessageBuilder.createMessage(new byte[0], error.getMessageHeaders()));
        sendTolerantOfAConcurrentSend(new TextMessage(frame));
      } catch (IOException | RuntimeException e) {
        // a closing session, or a send that stayed busy: the close below still ends it
      }
    }
    try {
      session.close(new CloseStatus(code, reason));
    } catch (IOException | RuntimeException e) {
      // already closing
    }
  }

  /**
   * Sends on the raw session, which the broker's outbound thread also writes to (through Spring's
   * {@code ConcurrentWebSocketSessionDecorator}): a container refuses a second send while one is still in progress
   * (Tomcat: {@code IllegalStateException}, even when the client has already received the first), so a refused
   * send is tried again for up to 200 ms.
   */
  private void sendTolerantOfAConcurrentSend(TextMessage message) throws IOException {
    long deadline = System.nanoTime() + 200_000_000L;
    while (true) {
      try {
        session.sendMessage(message);
        return;
      } catch (IllegalStateException busy) {
        if (System.nanoTime() - deadline > 0 || !session.isOpen()) {
          throw busy;
        }
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw busy;
        }
      }
    }
  }

  @Override
  public void expiresSoon(Identity identity, Duration remaining) {
    // no expiry warning in wsauth-spring (not configured)
  }
}
