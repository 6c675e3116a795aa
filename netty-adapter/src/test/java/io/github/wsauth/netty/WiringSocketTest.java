package io.github.wsauth.netty;

import static io.github.wsauth.netty.RawHttp.upgrade;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.wsauth.Verification;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * Issue 13 item 11: pipelines wired wrongly must not let anyone in. For each mistake a real server gets a valid,
 * a replayed, a missing and a garbage token; none is upgraded, and one log line (however many attempts) says why.
 */
@ExtendWith(LeakDetection.class)
class WiringSocketTest {
  private final TestTokens tokens = new TestTokens();
  private final WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
      .handshake(tokens.handshake().build()).clock(tokens.clock).build();

  /** Valid, replayed, missing and garbage credentials, as header lines of an upgrade request. */
  private List<String[]> credentials() {
    String replayed = tokens.issue("replayed");
    assertThat(tokens.verifier.verify(replayed)).isInstanceOf(Verification.Verified.class);
    List<String[]> all = new ArrayList<>();
    all.add(new String[] {"Authorization: Bearer " + tokens.issue("valid")});
    all.add(new String[] {"Authorization: Bearer " + replayed});
    all.add(new String[0]);
    all.add(new String[] {"Authorization: Bearer " + "garbage!".repeat(4)});
    return all;
  }

  /** Sends every credential to {@code target} and returns the answers' statuses (0: closed, no answer). */
  private List<Integer> attempts(BiConsumer<ChannelPipeline, TestServer> pipeline, String target) throws Exception {
    List<Integer> statuses = new ArrayList<>();
    try (TestServer server = TestServer.wired(false, pipeline)) {
      for (String[] credential : credentials()) {
        try (RawHttp c = RawHttp.connect(server.port())) {
          RawHttp.Response r = c.send(upgrade(target, credential)).read();
          statuses.add(r == null ? 0 : r.status());
          assertThat(c.closedByServer()).as("connection closed").isTrue();
        }
      }
    }
    return statuses;
  }

  @Test
  void upgradeHandlerAfterTheProtocolHandler_closesEveryUpgradedConnection() throws Exception {
    try (LogCapture log = new LogCapture()) {
      List<Integer> statuses = attempts((p, s) -> p.addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
          new WebSocketServerProtocolHandler(config.protocolConfig()), NettyWsAuth.upgradeHandler(config), s.app()),
          "/ws");
      assertThat(statuses).containsExactly(0, 0, 0, 0);
      assertThat(log.lines()).containsExactly("SEVERE wsauth: NettyWsAuth.upgradeHandler is placed after "
          + "WebSocketServerProtocolHandler, which upgrades requests before wsauth sees them; every upgrade of this "
          + "pipeline is refused and its connection closed. Add the upgrade handler between HttpObjectAggregator "
          + "and WebSocketServerProtocolHandler");
    }
  }

  @Test
  void protocolHandlerOnAnotherPath_closesEveryConnectionUpgradedWithoutADecision() throws Exception {
    try (LogCapture log = new LogCapture()) {
      List<Integer> statuses = attempts((p, s) -> p.addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
          NettyWsAuth.upgradeHandler(config), new WebSocketServerProtocolHandler("/socket"), s.app()), "/socket");
      assertThat(statuses).containsExactly(0, 0, 0, 0);
      assertThat(log.lines()).containsExactly("SEVERE wsauth: a connection was upgraded without a wsauth decision "
          + "and was closed: WebSocketServerProtocolHandler upgrades requests outside WsAuthConfig's "
          + "websocketPath=/ws (checkStartsWith=true); build it with "
          + "new WebSocketServerProtocolHandler(config.protocolConfig())");
    }
  }

  @Test
  void protocolHandlerOnABroaderPath_closesTheUpgradesWsauthDidNotDecide() throws Exception {
    try (LogCapture log = new LogCapture()) {
      List<Integer> statuses = attempts((p, s) -> p.addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
          NettyWsAuth.upgradeHandler(config),
          new WebSocketServerProtocolHandler(config.protocolConfigBuilder().websocketPath("/").build()), s.app()),
          "/wsx");
      assertThat(statuses).containsExactly(0, 0, 0, 0);
      assertThat(log.lines()).singleElement().asString().startsWith("SEVERE wsauth: a connection was upgraded "
          + "without a wsauth decision");
    }
  }

  @Test
  void missingAggregator_refusesEveryUpgradeWith503() throws Exception {
    try (LogCapture log = new LogCapture()) {
      List<Integer> statuses = attempts((p, s) -> p.addLast(new HttpServerCodec(), NettyWsAuth.upgradeHandler(config),
          new WebSocketServerProtocolHandler(config.protocolConfig()), s.app()), "/ws");
      assertThat(statuses).containsExactly(503, 503, 503, 503);
      assertThat(log.lines()).containsExactly("SEVERE wsauth: NettyWsAuth.upgradeHandler needs HttpObjectAggregator "
          + "before it; upgrade requests of this pipeline are refused with 503");
    }
  }

  @Test
  void upgradeHandlerBeforeTheHttpCodec_closesEveryConnection() throws Exception {
    try (LogCapture log = new LogCapture()) {
      List<Integer> statuses = attempts((p, s) -> p.addLast(NettyWsAuth.upgradeHandler(config), new HttpServerCodec(),
          new HttpObjectAggregator(65536), new WebSocketServerProtocolHandler(config.protocolConfig()), s.app()),
          "/ws");
      assertThat(statuses).containsExactly(0, 0, 0, 0);
      assertThat(log.lines()).containsExactly("SEVERE wsauth: NettyWsAuth.upgradeHandler received raw bytes: it is "
          + "placed before HttpServerCodec and HttpObjectAggregator and cannot see upgrade requests; every "
          + "connection of this pipeline is closed. Add the upgrade handler after HttpObjectAggregator");
    }
  }

  @Test
  void correctWiring_upgradesTheValidTokenOnly_andLogsNothing() throws Exception {
    try (LogCapture log = new LogCapture(); TestServer server = TestServer.wired(false, (p, s) -> p.addLast(
        new HttpServerCodec(), new HttpObjectAggregator(65536), NettyWsAuth.upgradeHandler(config),
        new WebSocketServerProtocolHandler(config.protocolConfig()), s.app()))) {
      List<Integer> statuses = new ArrayList<>();
      for (String[] credential : credentials()) {
        try (RawHttp c = RawHttp.connect(server.port())) {
          statuses.add(c.send(upgrade("/ws", credential)).read().status());
        }
      }
      assertThat(statuses).containsExactly(101, 401, 401, 400);
      assertThat(log.lines()).isEmpty();
    }
  }
}
