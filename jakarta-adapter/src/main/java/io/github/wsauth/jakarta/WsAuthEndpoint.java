package io.github.wsauth.jakarta;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.internal.FirstMessageSession;
import io.github.wsauth.internal.LiveSession;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Wraps an application endpoint so that it only ever sees authenticated sessions, and messages only after
 * authentication. Two modes, chosen by the {@link JakartaAuthConfig}:
 * <ul>
 *   <li><b>handshake</b>: the handshake is authenticated by the {@link WsAuthConfigurator} this config installs (and
 *       {@link WsAuthFilter} in front of it on servlet containers); a session without an identity is closed with
 *       1008 before the application hears of it;</li>
 *   <li><b>first message</b>: the first text message must carry the token ({@link FirstMessageAuthenticator});
 *       until it has been verified the application's {@code onOpen} has not run and no message reaches it. Core's
 *       {@link io.github.wsauth.FirstMessageAuthenticator first-message session} decides, as on Netty: a bad token
 *       closes with 1008, silence past the deadline with 1008, a message over the size cap with 1009 (counted in
 *       UTF-8 bytes while the message arrives), a binary first message with 1008, a store failure with 1011; a
 *       message delivered in parts is assembled up to the cap.</li>
 * </ul>
 * With {@link JakartaAuthConfig#closeOnExpiry()} the session is closed with 1008 "authentication expired" when its
 * identity expires (by the configured clock and scheduler). Timers are cancelled when authentication succeeds or
 * the session closes. The {@link JakartaAuthConfig#lifetime() lifetime} applies from authentication on: the session
 * is registered (and unregistered in {@code onClose}), can be re-authenticated with {@link
 * JakartaWsAuth#reauthenticate} and, on a first-message endpoint using the JSON format, by a later whole text
 * message {@code {"token": "…"}} (taken by wsauth, never delivered to the application's whole-text handlers; one
 * that starts so but is over the first message's size cap closes the session with 1009, undelivered; the
 * application then gets a view of its session that wraps them), and the {@link ExpiryWarningListener} is told
 * before expiry.
 *
 * <pre>{@code
 * // programmatic endpoint
 * container.addEndpoint(WsAuthEndpoint.builder("/chat", config, ChatEndpoint::new).build());
 * // annotated endpoint class (its @ServerEndpoint annotation, if any, is not used for deployment)
 * container.addEndpoint(WsAuthEndpoint.annotated("/chat", config, ChatSocket.class, ChatSocket::new).build());
 * }</pre>
 *
 * <p>One instance per connection (the installed configurator creates it). Thread-safe: the deadline timer and the
 * container's threads race through one atomic state.
 */
public final class WsAuthEndpoint extends Endpoint {
  private static final int PENDING = 0;
  private static final int OPEN = 1;
  private static final int CLOSED = 2;

  private final JakartaAuthConfig config;
  private final Endpoint application;
  private final AtomicInteger state = new AtomicInteger(PENDING);
  private volatile LiveSession live;
  /** The session the application was given: the container's, or its in-band re-authentication view. */
  private volatile Session applicationSession;
  private volatile FirstMessageSession<Void> firstMessage;

  WsAuthEndpoint(JakartaAuthConfig config, Endpoint application) {
    this.config = Objects.requireNonNull(config, "config must not be null");
    this.application = Objects.requireNonNull(application, "application endpoint must not be null");
  }

  /**
   * A server endpoint configuration at {@code path} whose connections are authenticated as {@code config} says
   * before an endpoint from {@code endpoints} (one per connection) sees them. Add subprotocols, encoders and
   * decoders on the returned builder, but do not replace its configurator. With a handshake authenticator its
   * subprotocols are preset.
   */
  public static ServerEndpointConfig.Builder builder(String path, JakartaAuthConfig config,
      Supplier<? extends Endpoint> endpoints) {
    Objects.requireNonNull(endpoints, "endpoints must not be null");
    return create(path, config, () -> Objects.requireNonNull(endpoints.get(), "the endpoint supplier returned null"));
  }

  /**
   * Like {@link #builder}, for an annotated endpoint class ({@code @OnOpen}, {@code @OnMessage} for {@code String},
   * {@code ByteBuffer} or {@code byte[]}, {@code @OnClose}, {@code @OnError}; parameters {@code Session}, {@code
   * EndpointConfig}, {@code CloseReason}, {@code Throwable} and {@code @PathParam} strings). The class is checked
   * now: an unsupported signature fails here rather than on the first connection.
   */
  public static <T> ServerEndpointConfig.Builder annotated(String path, JakartaAuthConfig config, Class<T> type,
      Supplier<? extends T> instances) {
    Objects.requireNonNull(instances, "instances must not be null");
    AnnotatedEndpointAdapter.Model model = AnnotatedEndpointAdapter.model(type);
    return create(path, config, () -> new AnnotatedEndpointAdapter(model,
        Objects.requireNonNull(instances.get(), "the instance supplier returned null")));
  }

  private static ServerEndpointConfig.Builder create(String path, JakartaAuthConfig config,
      Supplier<Endpoint> endpoints) {
    Objects.requireNonNull(config, "config must not be null");
    List<String> subprotocols = config.handshake().map(HandshakeAuthenticator::subprotocols).orElse(List.of());
    return ServerEndpointConfig.Builder.create(WsAuthEndpoint.class, path)
        .subprotocols(subprotocols)
        .configurator(new Factory(config, endpoints));
  }

  @Override
  public void onOpen(Session session, EndpointConfig endpointConfig) {
    FirstMessageAuthenticator auth = config.firstMessage().orElse(null);
    if (auth != null) {
      awaitFirstMessage(session, endpointConfig, auth);
      return;
    }
    Identity identity = JakartaWsAuth.identity(session).orElse(null);
    if (identity != null) {
      open(session, endpointConfig, identity);
    } else {
      refuse(session, FirstMessageAuthenticator.POLICY_VIOLATION, "authentication required");
    }
  }

  private void open(Session session, EndpointConfig endpointConfig, Identity identity) {
    session.getUserProperties().put(JakartaWsAuth.IDENTITY_KEY, identity);
    endpointConfig.getUserProperties().put(JakartaWsAuth.IDENTITY_KEY, identity);
    if (!state.compareAndSet(PENDING, OPEN)) {
      return;
    }
    FirstMessageAuthenticator first = config.firstMessage().orElse(null);
    LiveSession started = SessionLifetime.start(session, identity, config, first == null ? null : first.verifier());
    live = started;
    // On a JSON first-message endpoint the same {"token": "..."} message, sent again, re-authenticates.
    boolean inBand = first != null && first.format() == FirstMessageAuthenticator.Format.JSON
        && config.lifetime().inBandMessages();
    Session view = inBand ? SessionLifetime.inBandView(session, started, first) : session;
    applicationSession = view;
    application.onOpen(view, endpointConfig);
  }

  /** The first-message session cancels its own deadline when it decides or the connection closes. */
  private void awaitFirstMessage(Session session, EndpointConfig endpointConfig, FirstMessageAuthenticator auth) {
    FirstText text = new FirstText(session, endpointConfig);
    FirstMessageSession<Void> first = new FirstMessageSession<>(auth, config.scheduler(), text);
    firstMessage = first; // before the handlers that read it
    session.addMessageHandler(String.class, text);
    session.addMessageHandler(ByteBuffer.class, text.binary);
    first.start();
  }

  private void refuse(Session session, int code, String reason) {
    if (state.compareAndSet(PENDING, CLOSED)) {
      SessionLifetime.connection(session, config).close(code, reason);
    }
  }

  @Override
  public void onClose(Session session, CloseReason closeReason) {
    int previous = state.getAndSet(CLOSED);
    FirstMessageSession<Void> first = firstMessage;
    if (first != null) {
      first.connectionClosed();
    }
    LiveSession l = live;
    if (l != null) {
      l.closed();
    }
    if (previous == OPEN) {
      application.onClose(applicationSession(session), closeReason);
    }
  }

  @Override
  public void onError(Session session, Throwable thr) {
    if (state.get() == OPEN) {
      application.onError(applicationSession(session), thr);
    }
  }

  private Session applicationSession(Session session) {
    Session view = applicationSession;
    return view != null ? view : session;
  }

  @Override
  public String toString() {
    return "WsAuthEndpoint[" + application.getClass().getName() + "]";
  }

  /**
   * Hands the container's message parts to the first-message session and carries out its decisions. The container
   * delivers one message at a time and owns its buffers, so nothing is held or released here (the transport's
   * default {@code deliver} and {@code discard}).
   */
  private final class FirstText implements MessageHandler.Partial<String>, FirstMessageSession.Transport<Void> {
    private final Session session;
    private final EndpointConfig endpointConfig;
    private final MessageHandler.Partial<ByteBuffer> binary = (part, last) -> firstMessage.binaryFrame(null);

    FirstText(Session session, EndpointConfig endpointConfig) {
      this.session = session;
      this.endpointConfig = endpointConfig;
    }

    @Override
    public void onMessage(String part, boolean last) {
      firstMessage.textPart(null, part, last);
    }

    @Override
    public void accept(Identity identity) {
      // Swap our handlers out before the application adds its own: the container delivers the next message only
      // after this callback returns, so nothing sent later can reach wsauth or be lost.
      session.removeMessageHandler(this);
      session.removeMessageHandler(binary);
      open(session, endpointConfig, identity);
    }

    @Override
    public void close(int code, String reason) {
      refuse(session, code, reason);
    }

    @Override
    public void abort() {
      refuse(session, CloseReason.CloseCodes.NORMAL_CLOSURE.getCode(), "");
    }
  }

  /** Creates one wrapper per connection; the handshake is authenticated in handshake mode only. */
  private static final class Factory extends WsAuthConfigurator {
    private final Supplier<Endpoint> endpoints;

    Factory(JakartaAuthConfig config, Supplier<Endpoint> endpoints) {
      super(config, null, config.handshake().isPresent());
      this.endpoints = endpoints;
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
      if (endpointClass != WsAuthEndpoint.class) {
        throw new InstantiationException("this configurator creates " + WsAuthEndpoint.class.getName() + " only");
      }
      return endpointClass.cast(new WsAuthEndpoint(config(), endpoints.get()));
    }
  }
}
