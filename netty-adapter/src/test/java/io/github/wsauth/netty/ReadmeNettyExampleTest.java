package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The README's Netty wiring, compiled and assembled, so the README cannot drift from the API. */
class ReadmeNettyExampleTest {

  @Test
  void readmePipeline_assembles_inTheDocumentedOrder() {
    TokenStore store = TokenStore.inMemory(Clock.systemUTC());
    EmbeddedChannel ch = new EmbeddedChannel();

    // --- README: Netty ---
    WsAuthConfig config = WsAuthConfig.builder()
        .websocketPath("/ws")
        .handshakeAuthenticator(HandshakeAuthenticator.builder()
            .extractor(CredentialExtractor.firstOf(CredentialExtractor.bearerHeader(),
                                                   CredentialExtractor.queryParameter("token")))
            .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults()))
            .originPolicy(OriginPolicy.allowOnly("https://app.example"))
            .build())
        .build();

    ch.pipeline()
        .addLast(NettyWsAuth.connectionGuard(config))
        .addLast(new HttpServerCodec())
        .addLast(new HttpObjectAggregator(65536))
        .addLast(NettyWsAuth.upgradeHandler(config))
        .addLast(new WebSocketServerProtocolHandler(config.protocolConfig()))
        .addLast(new ChannelInboundHandlerAdapter());
    // --- end ---

    // An upgrade without a credential is refused by the handler the README adds.
    ch.writeInbound(Unpooled.copiedBuffer("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
        StandardCharsets.US_ASCII));
    StringBuilder response = new StringBuilder();
    for (Object out; (out = ch.readOutbound()) != null; ReferenceCountUtil.release(out)) {
      if (out instanceof ByteBuf buf) {
        response.append(buf.toString(StandardCharsets.US_ASCII));
      }
    }
    assertThat(response).startsWith("HTTP/1.1 401");
    assertThat(NettyWsAuth.identity(ch)).isEmpty();
    assertThat(ch.isOpen()).isFalse();
  }
}
