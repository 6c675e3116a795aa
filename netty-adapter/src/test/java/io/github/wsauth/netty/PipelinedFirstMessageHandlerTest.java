package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;

@ExtendWith(LeakDetection.class)
class PipelinedFirstMessageHandlerTest {
  private final TestTokens tokens = new TestTokens();

  @Test
  void debug() {
    Recorder app = new Recorder(true);
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .firstMessageAuthenticator(tokens.firstMessage().build()).clock(tokens.clock).build();
    EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(8192),
        new WebSocketServerProtocolHandler(config.protocolConfig()), NettyWsAuth.firstMessageHandler(config), app);
    System.out.println("PIPELINE " + ch.pipeline().names());
    byte[] all = RawWebSocket.concat(RawWebSocket.upgradeRequest("/ws", ""),
        RawWebSocket.maskedText(tokens.issue("alice")), RawWebSocket.maskedText("app-1"));
    ch.writeInbound(Unpooled.wrappedBuffer(all));
    System.out.println("PIPELINE " + ch.pipeline().names());
    System.out.println("APP " + app.messages + " " + app.events + " " + NettyWsAuth.identity(ch));
    Object o;
    while ((o = ch.readOutbound()) != null) {
      System.out.println("OUT " + (o instanceof ByteBuf ? ((ByteBuf) o).toString(StandardCharsets.ISO_8859_1) : o));
      ReferenceCountUtil.release(o);
    }
    ch.finishAndReleaseAll();
  }
}
