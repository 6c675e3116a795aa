package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * What {@code EmbeddedChannel} cannot show: on a real event loop a closed channel's pipeline is torn down in a later
 * task, so an event passed on after a refusal would reach the application; timers are real; a handler may run on an
 * executor of its own. In-process {@link LocalChannel}s on {@link DefaultEventLoop}s (no socket, no port); every
 * wait is bounded by {@link #WAIT_MS}, so a mutant that keeps a channel open fails fast instead of hanging.
 */
@ExtendWith(LeakDetection.class)
class RealEventLoopTest {
  private static final long WAIT_MS = 500;
  private static final String AFTER_PROTOCOL = "SEVERE wsauth: NettyWsAuth.upgradeHandler is placed after "
      + "WebSocketServerProtocolHandler";

  private final TestTokens tokens = new TestTokens();
  private final List<io.netty.util.concurrent.EventExecutor> executors = new ArrayList<>();
  private Loop serverLoop;
  private Channel server;

  /** A single-thread event loop that records the timers handlers schedule on it, or refuses them. */
  private static final class Loop extends DefaultEventLoop {
    final List<ScheduledFuture<?>> timers = new CopyOnWriteArrayList<>();
    volatile boolean refuseTimers;

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      if (refuseTimers) {
        throw new RejectedExecutionException("test: this loop takes no timer");
      }
      ScheduledFuture<?> timer = super.schedule(command, delay, unit);
      timers.add(timer);
      return timer;
    }
  }

  /** The application at the end of the pipeline: whether the connection's activation reached it. */
  private static final class ActiveRecorder extends ChannelInboundHandlerAdapter {
    final AtomicBoolean active = new AtomicBoolean();

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      active.set(true);
      ctx.fireChannelActive();
    }
  }

  @BeforeEach
  void startServer() throws InterruptedException {
    serverLoop = loop();
    server = new ServerBootstrap().group(serverLoop).channel(LocalServerChannel.class)
        .childHandler(new ChannelInboundHandlerAdapter()).bind(new LocalAddress(RealEventLoopTest.class))
        .sync().channel();
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.close().await(WAIT_MS);
    for (io.netty.util.concurrent.EventExecutor e : executors) {
      e.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).await(WAIT_MS);
    }
  }

  private Loop loop() {
    Loop loop = new Loop();
    executors.add(loop);
    return loop;
  }

  private WsAuthConfig handshakeConfig() {
    return WsAuthConfig.builder().websocketPath("/ws").handshake(tokens.handshake().build())
        .clock(tokens.clock).build();
  }

  private WsAuthConfig guardConfig(int max) {
    return WsAuthConfig.builder().websocketPath("/ws")
        .firstMessage(tokens.firstMessage().deadline(Duration.ofSeconds(10)).build())
        .handshakeTimeout(Duration.ofSeconds(3)).maxUnauthenticatedConnections(max)
        .maxUnauthenticatedConnectionsPerAddress(max).build();
  }

  /**
   * A connecting channel on {@code loop} with {@code handlers} in place before it becomes active (like a server
   * child whose pipeline is built at registration); returns once it is connected, or closed.
   */
  private Channel connect(Loop loop, ChannelHandler... handlers) throws InterruptedException {
    Channel ch = new Bootstrap().group(loop).channel(LocalChannel.class).handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel c) {
        c.pipeline().addLast(handlers);
      }
    }).connect(server.localAddress()).await().channel();
    ch.eventLoop().submit(() -> { }).await(WAIT_MS); // the activation follows the connect promise in the same task
    return ch;
  }

  /** Waits (bounded) for the channel to close, then for every task its loop had queued until then. */
  private static boolean closedAndSettled(Channel ch) throws InterruptedException {
    boolean closed = ch.closeFuture().await(WAIT_MS);
    ch.eventLoop().submit(() -> { }).await(WAIT_MS);
    return closed;
  }

  @Test
  void upgradeHandlerAfterTheProtocolHandler_onAConnectingChannel_refusedAtActivation_theAppNeverSeesIt()
      throws InterruptedException {
    WsAuthConfig config = handshakeConfig();
    ActiveRecorder app = new ActiveRecorder();
    try (LogCapture log = new LogCapture()) {
      Channel ch = connect(loop(), new WebSocketServerProtocolHandler(config.protocolConfig()),
          NettyWsAuth.upgradeHandler(config), app);
      assertThat(closedAndSettled(ch)).as("closed at activation").isTrue();
      assertThat(app.active).as("the activation stops at the refusing handler").isFalse();
      assertThat(log.lines()).singleElement().asString().startsWith(AFTER_PROTOCOL);
    }
  }

  @Test
  void upgradeHandlerAddedWhileTheActivationPasses_refusedThen_theActivationThatFollowsReachesNobody()
      throws InterruptedException {
    WsAuthConfig config = handshakeConfig();
    ActiveRecorder app = new ActiveRecorder();
    // Builds the rest of the pipeline when the connection becomes active, then passes the activation on (as
    // protocol-detecting handlers do): the upgrade handler refuses in handlerAdded, before that activation reaches it.
    ChannelHandler builder = new ChannelInboundHandlerAdapter() {
      @Override
      public void channelActive(ChannelHandlerContext ctx) {
        ctx.pipeline().addLast(new WebSocketServerProtocolHandler(config.protocolConfig()),
            NettyWsAuth.upgradeHandler(config), app);
        ctx.fireChannelActive();
      }
    };
    try (LogCapture log = new LogCapture()) {
      Channel ch = connect(loop(), builder);
      assertThat(closedAndSettled(ch)).isTrue();
      assertThat(app.active).as("a refused connection's activation reaches nobody").isFalse();
      assertThat(log.lines()).singleElement().asString().startsWith(AFTER_PROTOCOL);
    }
  }

  @Test
  void guardOverTheCap_onAConnectingChannel_refusedAtActivation_theAppNeverSeesIt() throws InterruptedException {
    WsAuthConfig config = guardConfig(1);
    EmbeddedChannel holder = new EmbeddedChannel(NettyWsAuth.connectionGuard(config)); // takes the only slot
    ActiveRecorder app = new ActiveRecorder();
    Channel ch = connect(loop(), NettyWsAuth.connectionGuard(config), app);
    assertThat(closedAndSettled(ch)).as("refused at activation").isTrue();
    assertThat(app.active).as("the activation stops at the guard").isFalse();
    assertThat(config.unauthenticatedConnections().refusedCount()).isEqualTo(1);
    holder.close();
    assertThat(config.unauthenticatedConnections().count()).isZero();
  }

  @Test
  void guard_closedConnection_cancelsItsHandshakeTimer_atOnce() throws InterruptedException {
    WsAuthConfig config = guardConfig(2);
    Loop loop = loop();
    ActiveRecorder app = new ActiveRecorder();
    Channel ch = connect(loop, NettyWsAuth.connectionGuard(config), app);
    assertThat(app.active).isTrue();
    assertThat(loop.timers).as("the handshake timeout").singleElement()
        .satisfies(t -> assertThat(t.isCancelled()).isFalse());
    ch.close();
    assertThat(closedAndSettled(ch)).isTrue();
    // Not left for 3 s in the scheduler, holding the closed channel: cancelled when the channel closed.
    assertThat(loop.timers.get(0).isCancelled()).as("timer cancelled on close").isTrue();
    assertThat(config.unauthenticatedConnections().count()).isZero();
  }

  @Test
  void guard_onALoopThatTakesNoTimer_refusesTheConnection_theAppNeverSeesIt() throws InterruptedException {
    WsAuthConfig config = guardConfig(2);
    Loop loop = loop();
    loop.refuseTimers = true; // as while the loop shuts down: a connection without its timeout is not kept
    ActiveRecorder app = new ActiveRecorder();
    Channel ch = connect(loop, NettyWsAuth.connectionGuard(config), app);
    assertThat(closedAndSettled(ch)).as("closed at activation").isTrue();
    assertThat(app.active).as("the activation stops at the guard").isFalse();
    assertThat(config.unauthenticatedConnections().count()).as("its slot given back").isZero();
  }

  @Test
  @SuppressWarnings("deprecation") // a handler on an executor of its own: deprecated in 4.2, still supported
  void guardOnAnExecutorOfItsOwn_addedToALiveChannel_installsThePipelinedBytesHandlerOnTheChannelsLoop()
      throws InterruptedException {
    WsAuthConfig config = guardConfig(2);
    Channel ch = connect(loop(), new HttpServerCodec());
    assertThat(ch.isActive()).isTrue();
    DefaultEventExecutor own = new DefaultEventExecutor();
    executors.add(own);
    // handlerAdded runs on the guard's own executor: the install is handed to the channel's event loop.
    ch.pipeline().addLast(own, "guard", NettyWsAuth.connectionGuard(config));
    own.submit(() -> { }).await(WAIT_MS); // handlerAdded has run
    ch.eventLoop().submit(() -> { }).await(WAIT_MS); // and what it handed to the channel's loop
    List<String> names = ch.pipeline().names();
    assertThat(names.indexOf(PipelinedBytesHandler.NAME)).as("right after the HTTP codec, installed")
        .isEqualTo(names.indexOf(ch.pipeline().context(HttpServerCodec.class).name()) + 1);
    TestServer.closeAndAwaitPipelineDestroyed(ch, WAIT_MS);
  }

  @Test
  @SuppressWarnings("deprecation") // a handler on an executor of its own: deprecated in 4.2, still supported
  void firstMessageHandlerOnAnExecutorOfItsOwn_whatIsQueuedBehindTheToken_reachesTheAppUnchanged()
      throws InterruptedException {
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .firstMessage(tokens.firstMessage().build()).clock(tokens.clock).build();
    Recorder app = new Recorder(true);
    Channel ch = connect(loop(), app);
    DefaultEventExecutor own = new DefaultEventExecutor();
    executors.add(own);
    ch.pipeline().addFirst(own, "first-message", NettyWsAuth.firstMessageHandler(config));
    own.submit(() -> { }).await(WAIT_MS); // handlerAdded has run
    // One task of the channel's loop: all four are queued on the handler's executor before it reads the token.
    ch.eventLoop().submit(() -> {
      ch.pipeline().fireUserEventTriggered(new WebSocketServerProtocolHandler.HandshakeComplete("/ws",
          new io.netty.handler.codec.http.DefaultHttpHeaders(), null));
      ch.pipeline().fireChannelRead(new TextWebSocketFrame(tokens.issue("alice")));
      ch.pipeline().fireChannelRead(new TextWebSocketFrame("app-1"));
      ch.pipeline().fireChannelRead(new CloseWebSocketFrame(1000, "bye"));
    }).await(WAIT_MS);
    own.submit(() -> { }).await(WAIT_MS);
    ch.eventLoop().submit(() -> { }).await(WAIT_MS); // the app runs on the channel's loop
    assertThat(NettyWsAuth.identity(ch).map(io.github.wsauth.Identity::subject)).contains("alice");
    assertThat(ch.pipeline().get(FirstMessageAuthHandler.class)).as("a pass-through on its executor").isNotNull();
    // On an executor of its own the handler stays as a pass-through: the frames queued behind the token, the peer's
    // close frame included, reach the application in the order they came.
    assertThat(app.messages).containsExactly("app-1", CloseWebSocketFrame.class.getName());
    assertThat(app.events).hasSize(2).last().isInstanceOf(AuthenticatedEvent.class);
    TestServer.closeAndAwaitPipelineDestroyed(ch, WAIT_MS);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(io.github.wsauth.FirstMessageAuthenticator.Format.class)
  @SuppressWarnings("deprecation") // a handler on an executor of its own: deprecated in 4.2, still supported
  void firstMessageHandlerOnAnExecutorOfItsOwn_aFrameReadAfterAcceptance_neverOvertakesOneQueuedBehindTheToken(
      io.github.wsauth.FirstMessageAuthenticator.Format format) throws Exception {
    // JSON: the handler gives way to the in-band re-authentication handler; RAW: it has nothing to give way to.
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .firstMessage(tokens.firstMessage().format(format).build()).clock(tokens.clock).build();
    String token = tokens.issue("alice");
    String first = format == io.github.wsauth.FirstMessageAuthenticator.Format.JSON
        ? "{\"token\": \"" + token + "\"}" : token;
    Recorder app = new Recorder(true);
    Channel ch = connect(loop(), app);
    DefaultEventExecutor own = new DefaultEventExecutor();
    executors.add(own);
    ch.pipeline().addFirst(own, "first-message", NettyWsAuth.firstMessageHandler(config));
    own.submit(() -> { }).await(WAIT_MS);
    ch.eventLoop().submit(() -> {
      ch.pipeline().fireUserEventTriggered(new WebSocketServerProtocolHandler.HandshakeComplete("/ws",
          new io.netty.handler.codec.http.DefaultHttpHeaders(), null));
      ch.pipeline().fireChannelRead(new TextWebSocketFrame(first));
    }).await(WAIT_MS);
    // The handler's executor accepts the token, then is held up before the frame queued behind the token.
    java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    own.execute(() -> {
      holding.countDown();
      try {
        release.await(WAIT_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    ch.eventLoop().submit(() -> ch.pipeline().fireChannelRead(new TextWebSocketFrame("app-1"))).await(WAIT_MS);
    assertThat(holding.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
    assertThat(NettyWsAuth.identity(ch)).as("accepted before the hold").isPresent();
    // Read by the channel's loop while app-1 still waits on the handler's executor.
    ch.eventLoop().submit(() -> ch.pipeline().fireChannelRead(new TextWebSocketFrame("app-2"))).await(WAIT_MS);
    release.countDown();
    own.submit(() -> { }).await(WAIT_MS);
    ch.eventLoop().submit(() -> { }).await(WAIT_MS);
    assertThat(app.messages).containsExactly("app-1", "app-2");
    TestServer.closeAndAwaitPipelineDestroyed(ch, WAIT_MS);
  }
}
