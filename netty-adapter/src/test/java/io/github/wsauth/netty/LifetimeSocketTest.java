package io.github.wsauth.netty;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.lifetime.ConnectionLifetime;
import io.github.wsauth.lifetime.ConnectionRegistry;
import io.github.wsauth.lifetime.RevocationBus;
import io.github.wsauth.lifetime.Revoker;
import io.github.wsauth.scenarios.LifetimeScenarios;
import io.github.wsauth.scenarios.ManualWakeUps;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Core's connection-lifetime scenarios on real Netty servers (a handshake one and a first-message one). */
@ExtendWith(LeakDetection.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LifetimeSocketTest implements LifetimeScenarios.Server {
  private final TestTokens tokens = new TestTokens();
  private final ManualWakeUps wakeUps = new ManualWakeUps();
  private final ConnectionRegistry registry = new ConnectionRegistry();
  private final RevocationBus bus = RevocationBus.inProcess();
  private final Revoker revoker = Revoker.builder().store(tokens.store).bus(bus).registry(registry)
      .clock(tokens.clock).build();
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final Map<String, Channel> channels = new ConcurrentHashMap<>();
  private TestServer handshake;
  private TestServer firstMessage;

  @BeforeAll
  void start() throws InterruptedException {
    ConnectionLifetime lifetime = ConnectionLifetime.builder().registry(registry)
        .reauthenticationVerifier(tokens.verifier).expiryWarning(Duration.ofSeconds(10)).build();
    WsAuthConfig hs = WsAuthConfig.builder().websocketPath("/ws").handshake(tokens.handshake().build())
        .clock(tokens.clock).closeOnExpiry(true).lifetime(lifetime).wakeUps(wakeUps::schedule).build();
    WsAuthConfig fm = WsAuthConfig.builder().websocketPath("/ws")
        .firstMessage(tokens.firstMessage().format(FirstMessageAuthenticator.Format.JSON).build())
        .clock(tokens.clock).closeOnExpiry(true)
        .lifetime(ConnectionLifetime.builder().registry(registry).expiryWarning(Duration.ofSeconds(10)).build())
        .wakeUps(wakeUps::schedule).build();
    handshake = TestServer.wired(false, (p, server) -> p.addLast(new HttpServerCodec(),
        new HttpObjectAggregator(65536), NettyWsAuth.upgradeHandler(hs),
        new WebSocketServerProtocolHandler(hs.protocolConfig()), new Observer(), server.app()));
    firstMessage = TestServer.wired(false, (p, server) -> p.addLast(new HttpServerCodec(),
        new HttpObjectAggregator(65536), new WebSocketServerProtocolHandler(fm.protocolConfig()),
        NettyWsAuth.firstMessageHandler(fm), new Observer(), server.app()));
  }

  @AfterAll
  void stop() {
    handshake.close();
    firstMessage.close();
    revoker.close();
    bus.close();
  }

  /** The application's side: the channel of each subject, and each expiry warning. */
  private final class Observer extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof AuthenticatedEvent authenticated) {
        channels.put(authenticated.identity().subject(), ctx.channel());
      } else if (evt instanceof ExpiryWarningEvent warning) {
        warnings.add(warning.identity().subject() + " " + warning.remaining().toSeconds());
      }
      ctx.fireUserEventTriggered(evt);
    }
  }

  @TestFactory
  Stream<DynamicTest> lifetimeScenarios() {
    return LifetimeScenarios.tests(this);
  }

  @Override
  public URI uri(LifetimeScenarios.Mode mode) {
    return (mode == LifetimeScenarios.Mode.HANDSHAKE ? handshake : firstMessage).uri("/ws");
  }

  @Override
  public String issue(String subject) {
    return tokens.issue(subject);
  }

  @Override
  public void advance(Duration duration) {
    tokens.clock.advance(duration);
  }

  @Override
  public ManualWakeUps wakeUps() {
    return wakeUps;
  }

  @Override
  public ConnectionRegistry registry() {
    return registry;
  }

  @Override
  public Revoker revoker() {
    return revoker;
  }

  @Override
  public Optional<Identity> reauthenticate(String subject, String token) {
    return NettyWsAuth.reauthenticate(channels.get(subject), token);
  }

  @Override
  public List<String> warnings() {
    return warnings;
  }
}
