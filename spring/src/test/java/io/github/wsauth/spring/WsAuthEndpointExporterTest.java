package io.github.wsauth.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * What wsauth's exporter registers with the container (the container's {@code ServerContainer}, a framework seam, is a
 * mock here; the Spring Boot application tests run the same on Tomcat): its own endpoints wrapped and their paths
 * protected, the others as they are.
 */
class WsAuthEndpointExporterTest {
  private final ServerContainer container = mock(ServerContainer.class);
  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(WsAuthAutoConfiguration.class))
      .withInitializer(context -> context.getServletContext()
          .setAttribute(ServerContainer.class.getName(), container));

  /** A wsauth endpoint. */
  @ServerEndpoint(value = "/bound/{room}", configurator = WsAuthSpringConfigurator.class,
      subprotocols = {"chat"})
  public static class Bound {
    /** Echoes. */
    @OnMessage
    public String echo(String message) {
      return message;
    }
  }

  /** A wsauth endpoint without subprotocols. */
  @ServerEndpoint(value = "/plain", configurator = WsAuthSpringConfigurator.class)
  public static class BoundPlain {
    /** Echoes. */
    @OnMessage
    public String echo(String message) {
      return message;
    }
  }

  /** An endpoint of the application's own, not wsauth's. */
  @ServerEndpoint("/open")
  public static class Open {
    /** Echoes. */
    @OnMessage
    public String echo(String message) {
      return message;
    }
  }

  /** A wsauth endpoint whose message type WsAuthEndpoint does not support. */
  @ServerEndpoint(value = "/odd", configurator = WsAuthSpringConfigurator.class)
  public static class Unsupported {
    /** Takes a Reader. */
    @OnMessage
    public void read(java.io.Reader message) {
    }
  }

  @Test
  void aWsAuthEndpoint_isRegisteredWrapped_withItsSubprotocols_andItsPathIsProtected() {
    runner.withBean(Bound.class, Bound::new).run(context -> {
      assertThat(context).hasNotFailed();
      ArgumentCaptor<ServerEndpointConfig> registered = ArgumentCaptor.forClass(ServerEndpointConfig.class);
      verify(container).addEndpoint(registered.capture());
      ServerEndpointConfig sec = registered.getValue();
      assertThat(sec.getPath()).isEqualTo("/bound/{room}");
      assertThat(sec.getEndpointClass().getName()).isEqualTo("io.github.wsauth.jakarta.WsAuthEndpoint");
      assertThat(sec.getSubprotocols()).containsExactly("chat");
      assertThat(sec.getConfigurator()).isNotInstanceOf(WsAuthSpringConfigurator.class);
      assertThat(sec.getConfigurator().getEndpointInstance(sec.getEndpointClass())).isNotNull();
      verify(container, never()).addEndpoint(any(Class.class));
      assertThat(context.getBean(ProtectedPaths.class)
          .authenticatesHandshake(new MockHttpServletRequest("GET", "/bound/r1"))).isTrue();
    });
  }

  @Test
  void aWsAuthEndpointWithoutSubprotocols_getsTheAuthenticatorsOnes() {
    runner.withPropertyValues("wsauth.subprotocols=app.v1").withBean(BoundPlain.class, BoundPlain::new)
        .run(context -> {
          ArgumentCaptor<ServerEndpointConfig> registered = ArgumentCaptor.forClass(ServerEndpointConfig.class);
          verify(container).addEndpoint(registered.capture());
          assertThat(registered.getValue().getSubprotocols()).containsExactly("app.v1");
        });
  }

  @Test
  void anotherEndpoint_andAnEndpointConfigBean_areRegisteredAsTheyAre() {
    ServerEndpointConfig mine = ServerEndpointConfig.Builder.create(Open.class, "/mine").build();
    runner.withBean(Open.class, Open::new).withBean(ServerEndpointConfig.class, () -> mine).run(context -> {
      assertThat(context).hasNotFailed();
      verify(container).addEndpoint(Open.class);
      verify(container).addEndpoint(mine);
      assertThat(context.getBean(ProtectedPaths.class).handshakePatterns()).isEmpty();
    });
  }

  @Test
  void noEndpoint_needsNoContainer() {
    new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(WsAuthAutoConfiguration.class))
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void anEndpoint_withoutAContainer_failsTheStartUp_sayingWhy() {
    new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(WsAuthAutoConfiguration.class))
        .withBean(Bound.class, Bound::new).run(context -> assertThat(context.getStartupFailure())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("wsauth: the application has @ServerEndpoint beans but no"
                + " jakarta.websocket.server.ServerContainer"));
    ServerEndpointConfig mine = ServerEndpointConfig.Builder.create(Open.class, "/mine").build();
    new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(WsAuthAutoConfiguration.class))
        .withBean(ServerEndpointConfig.class, () -> mine).run(context -> assertThat(context.getStartupFailure())
            .hasStackTraceContaining("but no jakarta.websocket.server.ServerContainer"));
  }

  @Test
  void aWsAuthEndpointWithAnUnsupportedSignature_failsTheStartUp_namingIt() {
    runner.withBean(Unsupported.class, Unsupported::new).run(context -> {
      assertThat(context.getStartupFailure()).rootCause().isInstanceOf(IllegalArgumentException.class);
      assertThat(context.getStartupFailure()).hasStackTraceContaining("wsauth: the @ServerEndpoint "
          + Unsupported.class.getName() + " (configurator=WsAuthSpringConfigurator) runs inside wsauth's"
          + " WsAuthEndpoint");
    });
  }

  @Test
  void aContainerRefusingTheEndpoint_failsTheStartUp() throws Exception {
    doThrow(new DeploymentException("duplicate path")).when(container).addEndpoint(any(ServerEndpointConfig.class));
    runner.withBean(Bound.class, Bound::new).run(context -> {
      assertThat(context.getStartupFailure()).hasStackTraceContaining(
          "wsauth: failed to register a WebSocket endpoint: duplicate path");
      assertThat(context.getStartupFailure()).rootCause().isInstanceOf(DeploymentException.class);
    });
  }

  @Test
  void theExporter_isWsAuths() {
    runner.run(context -> assertThat(context.getBean(org.springframework.web.socket.server.standard
        .ServerEndpointExporter.class)).isInstanceOf(WsAuthEndpointExporter.class));
  }
}
