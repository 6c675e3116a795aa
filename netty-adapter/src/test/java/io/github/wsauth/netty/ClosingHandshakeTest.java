package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * The closing handshake wsauth runs on an upgraded channel, in unit pipelines (the socket behaviour is
 * {@link ClosingHandshakeSocketTest}'s): the Close frame, the frames dropped meanwhile, the end at the client's Close,
 * at a failed write or at the timeout, the first close kept, a call from off the event loop.
 */
@ExtendWith(LeakDetection.class)
class ClosingHandshakeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final long WAIT_MS = 500;

  private final Recorder app = new Recorder(true);

  /** An upgraded channel: frames in and out as objects, the application last; its time frozen. */
  private EmbeddedChannel upgraded() {
    EmbeddedChannel ch = new EmbeddedChannel(new WebSocketStandIns.Encoder(), new WebSocketStandIns.Decoder(), app);
    ch.freezeTime();
    return ch;
  }


  @Test
  void close_sendsTheCloseFrame_dropsWhatTheClientStillSends_andClosesAtTheClientsClose() {
    EmbeddedChannel ch = upgraded();
    assertThat(ClosingHandshake.isClosing(ch)).isFalse();

    ClosingHandshake.close(ch, true, 1008, "token revoked", TIMEOUT);

    assertThat(WebSocketStandIns.closeFrame(ch)).isEqualTo("1008 token revoked");
    assertThat(ch.<Object>readOutbound()).isNull();
    assertThat(ClosingHandshake.isClosing(ch)).isTrue();
    assertThat(ch.isOpen()).as("waits for the client's Close").isTrue();
    TextWebSocketFrame late = new TextWebSocketFrame("in flight");
    PingWebSocketFrame ping = new PingWebSocketFrame();
    ch.writeInbound(late, ping);
    assertThat(late.refCnt()).isZero();
    assertThat(ping.refCnt()).isZero();
    assertThat(app.messages).as("nothing reaches the application").isEmpty();
    assertThat(ch.<Object>readOutbound()).as("no Pong, no second Close").isNull();
    assertThat(ch.isOpen()).isTrue();

    ch.writeInbound(new CloseWebSocketFrame(1008, "token revoked"));
    assertThat(ch.isOpen()).as("closed at the client's Close").isFalse();
    assertThat(app.messages).isEmpty();
  }

  @Test
  void close_onAChannelAlreadyClosing_keepsTheFirstClose() {
    EmbeddedChannel ch = upgraded();
    ClosingHandshake.close(ch, true, 1008, "token revoked", TIMEOUT);
    ClosingHandshake.close(ch, true, 1011, "authentication temporarily unavailable", TIMEOUT);
    assertThat(WebSocketStandIns.closeFrame(ch)).isEqualTo("1008 token revoked");
    assertThat(ch.<Object>readOutbound()).as("one Close frame only").isNull();
    assertThat(ch.pipeline().names()).containsOnlyOnce(ClosingHandshake.NAME);
    ch.writeInbound(new CloseWebSocketFrame(1008, "token revoked"));
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void close_aClientThatNeverAnswers_isClosedAtTheTimeout_notBefore() {
    EmbeddedChannel ch = upgraded();
    ClosingHandshake.close(ch, true, 1008, "token expired", TIMEOUT);
    assertThat(WebSocketStandIns.closeFrame(ch)).isEqualTo("1008 token expired");
    ch.advanceTimeBy(TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).as("1 ms before the timeout").isTrue();
    ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).as("at the timeout").isFalse();
  }

  @Test
  void close_theCloseFrameCannotBeWritten_closesAtOnce() {
    EmbeddedChannel ch = new EmbeddedChannel(new WebSocketStandIns.FailingWire(), new WebSocketStandIns.Decoder(),
        app);
    ch.freezeTime();
    ClosingHandshake.close(ch, true, 1008, "token revoked", TIMEOUT);
    assertThat(ch.isOpen()).as("no waiting for an answer to a Close never sent").isFalse();
  }

  @Test
  void close_beforeTheUpgrade_closesWithoutAFrame() {
    EmbeddedChannel ch = upgraded();
    ClosingHandshake.close(ch, false, 1008, "token revoked", TIMEOUT);
    assertThat(ch.isOpen()).isFalse();
    assertThat(ch.<Object>readOutbound()).isNull();
  }

  @Test
  void close_withoutTheFrameDecoder_writesTheCloseFrameThenCloses() {
    EmbeddedChannel ch = new EmbeddedChannel(new WebSocketStandIns.Encoder(), app);
    ClosingHandshake.close(ch, true, 1008, "token revoked", TIMEOUT);
    assertThat(WebSocketStandIns.closeFrame(ch)).isEqualTo("1008 token revoked");
    assertThat(ch.isOpen()).as("nothing could see the client's answer").isFalse();
  }

  @Test
  void close_fromOffTheEventLoop_runsOnTheChannelsLoop() throws InterruptedException {
    DefaultEventLoop loop = new DefaultEventLoop();
    Channel server = null;
    try {
      server = new ServerBootstrap().group(loop).channel(LocalServerChannel.class)
          .childHandler(new ChannelInboundHandlerAdapter()).bind(new LocalAddress(ClosingHandshakeTest.class))
          .sync().channel();
      WebSocketStandIns.Wire wire = new WebSocketStandIns.Wire();
      Channel ch = new Bootstrap().group(loop).channel(LocalChannel.class)
          .handler(new io.netty.channel.ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
              c.pipeline().addLast(wire, new WebSocketStandIns.Decoder(), app);
            }
          }).connect(server.localAddress()).sync().channel();
      assertThat(loop.inEventLoop()).isFalse();

      // The loop is busy: the close waits its turn there, the pipeline is changed by the loop only (a check and a
      // change made from this thread would race with the loop's own closes).
      java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
      loop.execute(() -> {
        busy.countDown();
        try {
          release.await(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertThat(busy.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();

      ClosingHandshake.close(ch, true, 1008, "token revoked", TIMEOUT);

      assertThat(ch.pipeline().names()).as("not changed from this thread").doesNotContain(ClosingHandshake.NAME);
      release.countDown();
      loop.submit(() -> { }).await(WAIT_MS); // the close handed to the loop
      loop.submit(() -> { }).await(WAIT_MS); // and what it queued
      assertThat(wire.written).containsExactly("1008 token revoked");
      assertThat(loop.submit(() -> ClosingHandshake.isClosing(ch)).get(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
      assertThat(ch.isOpen()).isTrue();
      ch.close().await(WAIT_MS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    } finally {
      if (server != null) {
        server.close().await(WAIT_MS);
      }
      loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).await(WAIT_MS);
    }
  }
}
