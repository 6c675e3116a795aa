package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;

class AnnotatedEndpointAdapterTest {

  public static class Good {
    @OnOpen
    public void open(Session s) {}

    @OnMessage
    public String text(String m, Session s) {
      return m;
    }
  }

  public static class UnsupportedParameter {
    @OnMessage
    public void text(String m, Integer what) {}
  }

  public static class TwoTextHandlers {
    @OnMessage
    public void a(String m) {}

    @OnMessage
    public void b(String m) {}
  }

  @Test
  void model_supportedSignatures_areAccepted() {
    AnnotatedEndpointAdapter.Model m = AnnotatedEndpointAdapter.model(Good.class);
    assertThat(m.onOpen()).isNotNull();
    assertThat(m.onText()).isNotNull();
    assertThat(m.onBinary()).isNull();
  }

  @Test
  void model_unsupportedSignature_failsWhenConfigured() {
    assertThatThrownBy(() -> AnnotatedEndpointAdapter.model(UnsupportedParameter.class))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AnnotatedEndpointAdapter.model(TwoTextHandlers.class))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
