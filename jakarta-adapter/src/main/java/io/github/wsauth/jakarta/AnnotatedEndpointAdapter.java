package io.github.wsauth.jakarta;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.ByteBuffer;
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
 * values sent back. Anything else is refused when the model is built.
 */
final class AnnotatedEndpointAdapter extends Endpoint {
  private final Model model;
  private final Object instance;

  AnnotatedEndpointAdapter(Model model, Object instance) {
    this.model = model;
    if (!model.type.isInstance(instance)) {
      throw new IllegalArgumentException("not an instance of " + model.type.getName());
    }
    this.instance = instance;
  }

  /** The validated methods of an annotated class. */
  record Model(Class<?> type, Method onOpen, Method onText, Method onBinary, Method onClose, Method onError) {}

  static Model model(Class<?> type) {
    Objects.requireNonNull(type, "type must not be null");
    Method onOpen = null;
    Method onText = null;
    Method onBinary = null;
    Method onClose = null;
    Method onError = null;
    for (Method m : type.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      if (m.isAnnotationPresent(OnOpen.class)) {
        onOpen = only(onOpen, check(m, OnOpen.class));
      }
      if (m.isAnnotationPresent(OnClose.class)) {
        onClose = only(onClose, check(m, OnClose.class));
      }
      if (m.isAnnotationPresent(OnError.class)) {
        onError = only(onError, check(m, OnError.class));
      }
      if (m.isAnnotationPresent(OnMessage.class)) {
        Class<?> payload = payloadType(m);
        if (payload == String.class) {
          onText = only(onText, m);
        } else {
          onBinary = only(onBinary, m);
        }
        Class<?> r = m.getReturnType();
        if (r != void.class && r != String.class && r != ByteBuffer.class && r != byte[].class) {
          throw new IllegalArgumentException("@OnMessage may return void, String, ByteBuffer or byte[]: " + m);
        }
      }
    }
    for (Method m : new Method[] {onOpen, onText, onBinary, onClose, onError}) {
      if (m != null) {
        m.trySetAccessible(); // a public method of a non-public class
      }
    }
    return new Model(type, onOpen, onText, onBinary, onClose, onError);
  }

  private static Method only(Method existing, Method m) {
    if (existing != null) {
      throw new IllegalArgumentException("more than one method for the same event: " + existing + ", " + m);
    }
    return m;
  }

  private static Method check(Method m, Class<? extends Annotation> event) {
    for (Parameter p : m.getParameters()) {
      Class<?> t = p.getType();
      boolean ok = t == Session.class || isPathParam(p)
          || (event == OnOpen.class && t == EndpointConfig.class)
          || (event == OnClose.class && t == CloseReason.class)
          || (event == OnError.class && t == Throwable.class);
      if (!ok) {
        throw new IllegalArgumentException("unsupported parameter " + p + " of @" + event.getSimpleName() + " " + m);
      }
    }
    return m;
  }

  private static Class<?> payloadType(Method m) {
    Class<?> payload = null;
    for (Parameter p : m.getParameters()) {
      Class<?> t = p.getType();
      if (t == Session.class || isPathParam(p)) {
        continue;
      }
      if ((t == String.class || t == ByteBuffer.class || t == byte[].class) && payload == null) {
        payload = t;
      } else {
        throw new IllegalArgumentException("unsupported parameter " + p + " of @OnMessage " + m);
      }
    }
    if (payload == null) {
      throw new IllegalArgumentException("@OnMessage needs a String, ByteBuffer or byte[] parameter: " + m);
    }
    return payload;
  }

  private static boolean isPathParam(Parameter p) {
    return p.getType() == String.class && p.isAnnotationPresent(PathParam.class);
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    if (model.onText != null) {
      session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> reply(session,
          invoke(model.onText, session, config, null, null, text)));
    }
    if (model.onBinary != null) {
      session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) data -> reply(session,
          invoke(model.onBinary, session, config, null, null, data)));
    }
    if (model.onOpen != null) {
      invoke(model.onOpen, session, config, null, null, null);
    }
  }

  @Override
  public void onClose(Session session, CloseReason closeReason) {
    if (model.onClose != null) {
      invoke(model.onClose, session, null, closeReason, null, null);
    }
  }

  @Override
  public void onError(Session session, Throwable thr) {
    if (model.onError != null) {
      invoke(model.onError, session, null, null, thr, null);
    }
  }

  private Object invoke(Method m, Session session, EndpointConfig config, CloseReason reason, Throwable error,
      Object payload) {
    Parameter[] params = m.getParameters();
    Object[] args = new Object[params.length];
    for (int i = 0; i < params.length; i++) {
      Parameter p = params[i];
      Class<?> t = p.getType();
      if (t == Session.class) {
        args[i] = session;
      } else if (t == EndpointConfig.class) {
        args[i] = config;
      } else if (t == CloseReason.class) {
        args[i] = reason;
      } else if (t == Throwable.class) {
        args[i] = error;
      } else if (isPathParam(p)) {
        args[i] = session.getPathParameters().get(p.getAnnotation(PathParam.class).value());
      } else if (t == byte[].class && payload instanceof ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        args[i] = bytes;
      } else {
        args[i] = payload;
      }
    }
    try {
      return m.invoke(instance, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (m != model.onError && model.onError != null) {
        onError(session, cause);
        return null;
      }
      throw cause instanceof RuntimeException re ? re : new IllegalStateException("endpoint method failed", cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("endpoint method is not accessible: " + m, e);
    }
  }

  private static void reply(Session session, Object value) {
    try {
      if (value instanceof String s) {
        session.getBasicRemote().sendText(s);
      } else if (value instanceof ByteBuffer b) {
        session.getBasicRemote().sendBinary(b);
      } else if (value instanceof byte[] bytes) {
        session.getBasicRemote().sendBinary(ByteBuffer.wrap(bytes));
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
