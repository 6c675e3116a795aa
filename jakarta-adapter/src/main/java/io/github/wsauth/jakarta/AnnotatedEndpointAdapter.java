package io.github.wsauth.jakarta;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;

/**
 * Runs an annotated endpoint instance as a programmatic {@link Endpoint}, so {@link WsAuthEndpoint} can sit in
 * front of it. Supports the common subset of the annotations: whole text ({@code String}) and binary ({@code
 * ByteBuffer}, {@code byte[]}) messages, {@code Session}/{@code EndpointConfig}/{@code CloseReason}/{@code
 * Throwable} and {@code @PathParam String} parameters, and {@code String}/{@code ByteBuffer}/{@code byte[]} return
 * values sent back. Anything else is refused when the model is built, where each parameter's argument source is
 * worked out once.
 */
final class AnnotatedEndpointAdapter extends Endpoint {
  private static final List<Class<? extends Annotation>> EVENTS =
      List.of(OnOpen.class, OnClose.class, OnError.class, OnMessage.class);
  /** The event's own object, which its method may take besides the session and path parameters. */
  private static final Map<Class<?>, Class<?>> EVENT_OBJECTS =
      Map.of(OnOpen.class, EndpointConfig.class, OnClose.class, CloseReason.class, OnError.class, Throwable.class);
  private static final List<Class<?>> PAYLOADS = List.of(String.class, ByteBuffer.class, byte[].class);

  private final Model model;
  private final Object instance;

  AnnotatedEndpointAdapter(Model model, Object instance) {
    this.model = model;
    if (!model.type.isInstance(instance)) {
      throw new IllegalArgumentException("not an instance of " + model.type.getName());
    }
    this.instance = instance;
  }

  /** One argument of a method, from the session and the event's object (config, close reason, error, message). */
  interface Arg {
    Object of(Session session, Object event);
  }

  /** A validated method, where each of its arguments comes from, and its message type ({@code @OnMessage}). */
  record Handler(Method method, Arg[] args, Class<?> payload) {}

  /** The validated methods of an annotated class. */
  record Model(Class<?> type, Handler onOpen, Handler onText, Handler onBinary, Handler onClose, Handler onError) {}

  static Model model(Class<?> type) {
    Objects.requireNonNull(type, "type must not be null");
    Handler[] at = new Handler[5]; // open, close, error, text, binary
    for (Method m : type.getMethods()) {
      for (int e = 0; e < EVENTS.size(); e++) {
        if (!Modifier.isStatic(m.getModifiers()) && m.isAnnotationPresent(EVENTS.get(e))) {
          Handler h = handler(m, EVENTS.get(e));
          int slot = e < 3 ? e : h.payload == String.class ? 3 : 4;
          if (at[slot] != null) {
            throw new IllegalArgumentException("more than one method for the same event: " + at[slot].method + ", "
                + m);
          }
          at[slot] = h;
        }
      }
    }
    return new Model(type, at[0], at[3], at[4], at[1], at[2]);
  }

  private static Handler handler(Method m, Class<? extends Annotation> event) {
    Parameter[] params = m.getParameters();
    Arg[] args = new Arg[params.length];
    Class<?> payload = null;
    for (int i = 0; i < params.length; i++) {
      Class<?> t = params[i].getType();
      PathParam path = t == String.class ? params[i].getAnnotation(PathParam.class) : null;
      if (t == Session.class) {
        args[i] = (session, ev) -> session;
      } else if (path != null) {
        args[i] = (session, ev) -> session.getPathParameters().get(path.value());
      } else if (t == EVENT_OBJECTS.get(event)) {
        args[i] = (session, ev) -> ev;
      } else if (event == OnMessage.class && payload == null && PAYLOADS.contains(t)) {
        payload = t;
        args[i] = t != byte[].class ? (session, ev) -> ev // a copy of the buffer's remaining bytes for byte[]:
            : (session, ev) -> ByteBuffer.allocate(((ByteBuffer) ev).remaining()).put((ByteBuffer) ev).array();
      } else {
        throw new IllegalArgumentException("unsupported parameter " + params[i] + " of @" + event.getSimpleName()
            + " " + m);
      }
    }
    Class<?> r = m.getReturnType();
    if (event == OnMessage.class && (payload == null || r != void.class && !PAYLOADS.contains(r))) {
      throw new IllegalArgumentException(payload == null ? "@OnMessage needs a String, ByteBuffer or byte[] parameter: "
          + m : "@OnMessage may return void, String, ByteBuffer or byte[]: " + m);
    }
    m.trySetAccessible(); // a public method of a non-public class
    return new Handler(m, args, payload);
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    addHandler(session, String.class, model.onText);
    addHandler(session, ByteBuffer.class, model.onBinary);
    invoke(model.onOpen, session, config);
  }

  /** Whole messages of {@code type} go to {@code h}, and what it returns back to the peer. */
  private <T> void addHandler(Session session, Class<T> type, Handler h) {
    if (h != null) {
      session.addMessageHandler(type, (MessageHandler.Whole<T>) message -> reply(session, invoke(h, session, message)));
    }
  }

  @Override
  public void onClose(Session session, CloseReason closeReason) {
    invoke(model.onClose, session, closeReason);
  }

  @Override
  public void onError(Session session, Throwable thr) {
    invoke(model.onError, session, thr);
  }

  /** Calls the handler, if any, with its arguments; an exception goes to {@code @OnError} (once), or is thrown. */
  private Object invoke(Handler h, Session session, Object event) {
    if (h == null) {
      return null;
    }
    Object[] args = new Object[h.args.length];
    for (int i = 0; i < args.length; i++) {
      args[i] = h.args[i].of(session, event);
    }
    try {
      return h.method.invoke(instance, args);
    } catch (InvocationTargetException e) {
      if (model.onError == null || h.method.equals(model.onError.method)) { // @OnError's own failure: thrown
        throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException("endpoint method failed",
            e.getCause());
      }
      onError(session, e.getCause());
      return null;
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("endpoint method is not accessible: " + h.method, e);
    }
  }

  private static void reply(Session session, Object value) {
    try {
      if (value instanceof String s) {
        session.getBasicRemote().sendText(s);
      } else if (value != null) { // the return type was checked: a ByteBuffer or a byte[]
        session.getBasicRemote().sendBinary(value instanceof byte[] b ? ByteBuffer.wrap(b) : (ByteBuffer) value);
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not send the reply", e);
    }
  }

  @Override
  public String toString() {
    return "AnnotatedEndpointAdapter[" + model.type.getName() + "]";
  }
}
