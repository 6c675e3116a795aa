package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.wsauth.UpgradeRequest;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

class NettyRequestsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "null", value = {
      "/ws?token=a | /ws?token=a",
      "http://h/ws | /ws",
      "HTTPS://h:8443/ws/room?x=1 | /ws/room?x=1",
      "http://h?x=1 | /?x=1",
      "http://h | /",
      "http://user:pw@h/ws | /ws",
      "ws://h/ws | ws://h/ws",
      "* | *",
      "h:443 | h:443",
      "ws | ws",
      "'' | ''"})
  void originForm_reducesHttpAbsoluteFormOnly(String uri, String expected) {
    assertThat(NettyRequests.originForm(uri)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "null", value = {
      "/ws | true | /ws",
      "/ws?t=1 | true | /ws?t=1",
      "/ws/room | true | /ws/room",
      "/wsx | true | null",
      "/ws#x | true | null",
      "/ws?t=1 | false | null",
      "/ws | false | /ws",
      "http://h/ws?t=1 | true | /ws?t=1",
      "http://h/wsx | true | null",
      "ws | true | null"})
  void webSocketTarget_isNettysMatchAfterNormalisation(String uri, boolean startsWith, String expected) {
    assertThat(NettyRequests.webSocketTarget(uri, "/ws", startsWith)).isEqualTo(expected);
  }

  private static FullHttpRequest handshake(String upgrade) {
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws");
    r.headers().set("Upgrade", upgrade).set("Connection", "Upgrade").set("Sec-WebSocket-Version", "13")
        .set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    return r;
  }

  @Test
  void checkHandshake_coreChecksThenNettysOwnUpgradeValue() {
    FullHttpRequest valid = handshake("websocket");
    assertThat(NettyRequests.checkHandshake(valid, NettyRequests.toUpgradeRequest(valid, "/ws", null))).isEmpty();
    FullHttpRequest list = handshake("websocket, h2c"); // core accepts the list, Netty's handshaker does not
    assertThat(NettyRequests.checkHandshake(list, NettyRequests.toUpgradeRequest(list, "/ws", null)))
        .hasValueSatisfying(i -> {
          assertThat(i.status()).isEqualTo(400);
          assertThat(i.reason()).isEqualTo("not a WebSocket handshake: missing Upgrade: websocket");
        });
    FullHttpRequest post = handshake("websocket");
    post.setMethod(HttpMethod.POST);
    assertThat(NettyRequests.checkHandshake(post, NettyRequests.toUpgradeRequest(post, "/ws", null)))
        .hasValueSatisfying(i -> assertThat(i.status()).isEqualTo(405));
    valid.release();
    list.release();
    post.release();
  }

  @Test
  void toUpgradeRequest_keepsThePeerAddress_andEveryHeader() {
    FullHttpRequest r = handshake("websocket");
    r.headers().add("X-Multi", "a").add("X-Multi", "b");
    InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 4242);
    UpgradeRequest view = NettyRequests.toUpgradeRequest(r, "/ws?t=1", peer);
    assertThat(view.remoteAddress()).contains(peer);
    assertThat(view.headerValues("x-multi")).containsExactly("a", "b");
    assertThat(view.rawQuery()).contains("t=1");
    assertThat(NettyRequests.toUpgradeRequest(r, "/ws", new io.netty.channel.local.LocalAddress("x"))
        .remoteAddress()).isEmpty();
    r.release();
  }

  @Test
  void textResponse_isPlainUncachedAndNotSniffed() {
    FullHttpResponse response = NettyRequests.textResponse(HttpVersion.HTTP_1_0, HttpResponseStatus.FORBIDDEN, "no");
    assertThat(response.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_0);
    assertThat(response.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
    assertThat(response.content().toString(StandardCharsets.UTF_8)).isEqualTo("no\n");
    assertThat(response.headers().get("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(response.headers().getInt("Content-Length")).isEqualTo(3);
    assertThat(response.headers().get("Cache-Control")).isEqualTo("no-store");
    assertThat(response.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
    response.release();
  }
}
