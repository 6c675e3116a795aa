package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.util.ReferenceCountUtil;

/** {@link PipelinedBytesHandler} on its own, each branch of its {@code channelRead}, in an {@code EmbeddedChannel}. */
@ExtendWith(LeakDetection.class)
class PipelinedBytesHandlerTest {
  /** A masked text frame "hi" (client to server), as the WebSocket decoder reads it. */
  private static final byte[] MASKED_HI = {(byte) 0x81, (byte) 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2};

  /** Records what passes (releasing it), or swallows every read when {@code swallow} (a TLS-like handler). */
  static final class Seen extends ChannelInboundHandlerAdapter {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      seen.add(msg instanceof TextWebSocketFrame t ? "text:" + t.text()
          : msg instanceof HttpRequest r ? "request:" + r.uri() : "other:" + msg.getClass().getSimpleName());
      ReferenceCountUtil.release(msg);
    }
  }

  private final Seen app = new Seen();

  private EmbeddedChannel codecPipeline() {
    EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), app);
    PipelinedBytesHandler.install(ch);
    assertThat(ch.pipeline().names()).startsWith("HttpServerCodec#0", PipelinedBytesHandler.NAME);
    return ch;
  }

  @Test
  void install_afterABareRequestDecoder_andOnlyOnce() {
    EmbeddedChannel ch = new EmbeddedChannel(new HttpRequestDecoder(), app);
    PipelinedBytesHandler.install(ch);
    PipelinedBytesHandler.install(ch);
    assertThat(ch.pipeline().names()).containsSubsequence("HttpRequestDecoder#0", PipelinedBytesHandler.NAME);
    assertThat(ch.pipeline().names().stream().filter(PipelinedBytesHandler.NAME::equals)).hasSize(1);
    assertFalse(ch.finish());
  }

  @Test
  void install_withoutAnHttpDecoder_addsNothing() {
    EmbeddedChannel ch = new EmbeddedChannel(app);
    PipelinedBytesHandler.install(ch);
    assertThat(ch.pipeline().get(PipelinedBytesHandler.NAME)).isNull();
    assertFalse(ch.finish());
  }

  @Test
  void absoluteFormTarget_isReducedToOriginForm_andOriginFormLeftAlone() {
    EmbeddedChannel ch = codecPipeline();
    ch.writeInbound(Unpooled.copiedBuffer("GET http://h:1/ws?x=1 HTTP/1.1\r\nHost: h\r\n\r\n"
        + "GET /ws?y=2 HTTP/1.1\r\nHost: h\r\n\r\n", java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(app.seen).containsExactly("request:/ws?x=1", "other:", "request:/ws?y=2", "other:");
    assertFalse(ch.finish());
  }

  @Test
  void undecodableRequest_isRefused_andEverythingAfterItDropped() {
    EmbeddedChannel ch = codecPipeline();
    List<Object> held = new java.util.ArrayList<>();
    // Holds the answer unwritten, so the channel stays open while more arrives (a slow client socket).
    ch.pipeline().addFirst("slow-socket", new io.netty.channel.ChannelOutboundHandlerAdapter() {
      @Override
      public void write(ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
        held.add(msg);
      }
    });
    HttpRequest bad = new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/ws");
    bad.setDecoderResult(DecoderResult.failure(new TooLongHttpHeaderException("too long")));
    ChannelHandlerContext codec = ch.pipeline().context(HttpServerCodec.class);
    codec.fireChannelRead(bad);
    ByteBuf later = Unpooled.copiedBuffer(new byte[] {1, 2, 3});
    codec.fireChannelRead(later);
    codec.fireChannelRead(new TextWebSocketFrame("after"));
    assertThat(app.seen).isEmpty();
    assertThat(later.refCnt()).isZero();
    assertThat(held).singleElement().isInstanceOfSatisfying(ByteBuf.class, answer -> {
      String text = answer.toString(java.nio.charset.StandardCharsets.US_ASCII);
      assertThat(text).startsWith("HTTP/1.0 431 ").containsIgnoringCase("\r\nconnection: close\r\n");
      answer.release();
    });
    assertFalse(ch.finish());
  }

  @Test
  void webSocketFrame_passes_andRemovesTheHandler() {
    EmbeddedChannel ch = codecPipeline();
    ch.pipeline().context(HttpServerCodec.class).fireChannelRead(new TextWebSocketFrame("hi"));
    assertThat(app.seen).containsExactly("text:hi");
    assertThat(ch.pipeline().get(PipelinedBytesHandler.NAME)).isNull();
    assertFalse(ch.finish());
  }

  @Test
  void otherMessage_passes_andTheHandlerStays() {
    EmbeddedChannel ch = codecPipeline();
    ch.pipeline().context(HttpServerCodec.class).fireChannelRead("not http");
    assertThat(app.seen).containsExactly("other:String");
    assertThat(ch.pipeline().get(PipelinedBytesHandler.NAME)).isNotNull();
    assertFalse(ch.finish());
  }

  @Test
  void rawBytesWithoutAWebSocketDecoder_areReleased_andTheChannelClosed() {
    EmbeddedChannel ch = codecPipeline();
    ByteBuf raw = Unpooled.copiedBuffer(MASKED_HI);
    ch.pipeline().context(HttpServerCodec.class).fireChannelRead(raw);
    assertThat(app.seen).isEmpty();
    assertThat(raw.refCnt()).isZero();
    assertThat(ch.isOpen()).isFalse();
    assertFalse(ch.finish());
  }

  @Test
  void rawBytes_reEnterAtTheWebSocketDecoder_fromTheHandlerJustBeforeIt() {
    Seen swallowed = new Seen(); // a handler before the decoder (TLS) must not see the bytes again
    ChannelInboundHandlerAdapter tls = new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        swallowed.channelRead(ctx, msg);
      }
    };
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.pipeline().addLast("tls", tls).addLast("wsdecoder", new WebSocket13FrameDecoder(true, false, 1024))
        .addLast("http", new HttpRequestDecoder()).addLast("app", app);
    PipelinedBytesHandler.install(ch);
    ch.pipeline().context("http").fireChannelRead(Unpooled.copiedBuffer(MASKED_HI));
    assertThat(app.seen).containsExactly("text:hi");
    assertThat(swallowed.seen).isEmpty();
    assertThat(ch.pipeline().get(PipelinedBytesHandler.NAME)).isNull();
    assertFalse(ch.finish());
  }

  @Test
  void rawBytes_withTheWebSocketDecoderFirst_enterAtTheHead() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.pipeline().addLast("wsdecoder", new WebSocket13FrameDecoder(true, false, 1024))
        .addLast("http", new HttpRequestDecoder()).addLast("app", app);
    PipelinedBytesHandler.install(ch);
    ch.pipeline().context("http").fireChannelRead(Unpooled.copiedBuffer(MASKED_HI));
    assertThat(app.seen).containsExactly("text:hi");
    assertFalse(ch.finish());
  }
}
