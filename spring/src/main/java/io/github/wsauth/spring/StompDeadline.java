package io.github.wsauth.spring;

import java.io.IOException;

import io.github.wsauth.FirstMessageResult;
import io.github.wsauth.TaskScheduler;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.handler.WebSocketHandlerDecoratorFactory;

/** Closes a STOMP connection that has not authenticated within the deadline (core's timeout close code). */
final class StompDeadline implements WebSocketHandlerDecoratorFactory {
  private final WsAuthStompInterceptor interceptor;
  private final TaskScheduler scheduler;

  StompDeadline(WsAuthStompInterceptor interceptor, TaskScheduler scheduler) {
    this.interceptor = interceptor;
    this.scheduler = scheduler;
  }

  @Override
  public WebSocketHandler decorate(WebSocketHandler handler) {
    return new WebSocketHandlerDecorator(handler) {
      @Override
      public void afterConnectionEstablished(WebSocketSession session) throws Exception {
        String id = session.getId();
        interceptor.opened(session);
        interceptor.deadline(id, scheduler.schedule(() -> expire(session),
            interceptor.authenticator().deadline()));
        super.afterConnectionEstablished(session);
      }

      @Override
      public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
        try {
          super.afterConnectionClosed(session, closeStatus);
        } finally {
          interceptor.forget(session.getId());
        }
      }
    };
  }

  private void expire(WebSocketSession session) {
    if (interceptor.authenticated(session.getId()) || !session.isOpen()) {
      return;
    }
    FirstMessageResult.Rejected timedOut = (FirstMessageResult.Rejected) interceptor.authenticator().timedOut();
    try {
      session.close(new CloseStatus(timedOut.closeCode(), timedOut.reason()));
    } catch (IOException | RuntimeException e) {
      // already closing
    }
  }
}
