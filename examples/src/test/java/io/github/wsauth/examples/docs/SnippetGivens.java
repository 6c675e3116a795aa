package io.github.wsauth.examples.docs;

import io.github.wsauth.*;
import io.github.wsauth.jakarta.*;
import io.github.wsauth.netty.*;
import io.github.wsauth.store.*;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import jakarta.servlet.ServletContext;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import jakarta.websocket.server.ServerContainer;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;

/**
 * The context the docs' snippets rely on without declaring it: what a reader's application already has. Every
 * snippet is compiled with {@code import static SnippetGivens.*} and {@code import SnippetGivens.*}, so a snippet
 * may use these names; a name the snippet declares itself (a local variable, a class in the same Markdown file)
 * hides the given one. Keep this list short: prefer making a snippet self-contained.
 *
 * <p>The fields are static so that class-level snippets (a configurator, an endpoint) see them too. For a compile
 * they only need a type; the runs in {@link MarkdownSnippetsTest} set the ones the run uses to real objects before
 * invoking the snippet (one run at a time).
 */
public final class SnippetGivens {

  private SnippetGivens() {}

  /** The application's clock. */
  public static Clock clock = Clock.systemUTC();

  /** The application's token store (README, CORE, STORES, NETTY, JAKARTA). */
  public static TokenStore store = TokenStore.inMemory(clock);

  /** An opaque-token verifier on {@link #store} (DEMO). */
  public static TokenVerifier verifier = TokenVerifier.opaque(store, TokenPolicy.defaults());

  /** A handshake authenticator, as built in JAKARTA.md's "Shared setup". */
  public static HandshakeAuthenticator handshake;

  /** A handshake authenticator, as built in CORE.md (OTHER-SERVERS' Vert.x wiring). */
  public static HandshakeAuthenticator authenticator;

  /** The application's Vert.x 5 instance (OTHER-SERVERS). */
  public static io.vertx.core.Vertx vertx;

  /** The Netty adapter's configuration, as built at the top of NETTY.md. */
  public static WsAuthConfig config;

  /** The channel a Netty {@code ChannelInitializer} initialises (README, NETTY). */
  public static SocketChannel ch;

  /** Tomcat's context of the web application (DEMO, JAKARTA). */
  public static org.apache.catalina.Context context;

  /** The servlet context in a listener or initializer (JAKARTA). */
  public static ServletContext servletContext;

  /** The container's WebSocket server container (JAKARTA). */
  public static ServerContainer serverContainer;

  /** A WebSocket client container and the client endpoint to connect (JAKARTA's client side). */
  public static WebSocketContainer container;

  /** The client endpoint (JAKARTA's client side). */
  public static Endpoint endpoint;

  /** Where a client gets its tokens from (JAKARTA's client side). */
  public static AppTokens tokens;

  /** The application's scheduler (JAKARTA's expiry timer). */
  public static ScheduledExecutorService scheduledExecutor;

  /** A Jetty 12 server (JAKARTA's error page). */
  public static org.eclipse.jetty.server.Server server;

  /** The issuer's public key, as published (JWT). */
  public static com.nimbusds.jose.jwk.JWK publicKey;

  /** The application's connection pool (README's custom store). */
  public static DataSource dataSource;

  /** Where a client application gets its tokens from, e.g. its HTTP app's token endpoint. */
  public interface AppTokens {
    /** A fresh token. */
    String fetch();
  }

  /** Stands for the application's holder of the shared store (README's Jakarta section). */
  public static final class App {
    /** The store the HTTP app issues into and the WebSocket endpoint verifies against. */
    public static TokenStore STORE = TokenStore.inMemory(Clock.systemUTC());

    private App() {}
  }

  /** The application's own Netty handler, after the wsauth handlers: greets the identity once upgraded. */
  public static class MyAppHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        String subject = NettyWsAuth.identity(ctx.channel()).map(Identity::subject).orElse("?");
        ctx.writeAndFlush(new TextWebSocketFrame("Hello " + subject + "!"));
      }
      super.userEventTriggered(ctx, evt);
    }
  }

  /** The demo's Netty handler (DEMO). */
  public static final class HelloHandler extends MyAppHandler {}

  /** The demo's Jakarta endpoint (DEMO). */
  public static final class HelloEndpoint extends Endpoint {
    @Override
    public void onOpen(Session session, EndpointConfig config) {}
  }

  /** An application's programmatic endpoint (JAKARTA). */
  public static final class LiveEndpoint extends Endpoint {
    @Override
    public void onOpen(Session session, EndpointConfig config) {}
  }

  /** An application's annotated endpoint (JAKARTA). */
  public static final class FeedSocket {
    /** Opened. */
    @OnOpen
    public void open(Session session) {}
  }

  /** The reader's own store (README's custom store): here the in-memory one under another name. */
  public static class MyStore implements TokenStore {
    private final TokenStore delegate;

    /** A store on the reader's database, reading time from {@code clock}. */
    public MyStore(DataSource dataSource, Clock clock) {
      this.delegate = TokenStore.inMemory(clock);
    }

    @Override public boolean saveIfAbsent(StoredToken token) { return delegate.saveIfAbsent(token); }
    @Override public TokenLookup find(TokenHash hash) { return delegate.find(hash); }
    @Override public TokenLookup consume(TokenHash hash) { return delegate.consume(hash); }
    @Override public boolean revoke(TokenHash hash) { return delegate.revoke(hash); }
    @Override public int revokeAll(String subject) { return delegate.revokeAll(subject); }
    @Override public int purgeExpired() { return delegate.purgeExpired(); }
  }

  /** A Redis client, as a reader's store would use (STORES). */
  public static final class RedisClient {
    private RedisClient() {}

    /** Connects. */
    public static RedisClient create(String uri) { return new RedisClient(); }

    /** Empties the database. */
    public void flushAll() {}
  }

  /** The reader's Redis store (STORES). */
  public static final class RedisTokenStore extends MyStore {
    /** A store on {@code redis}, reading time from {@code clock}. */
    public RedisTokenStore(RedisClient redis, Clock clock) { super(null, clock); }
  }
}
