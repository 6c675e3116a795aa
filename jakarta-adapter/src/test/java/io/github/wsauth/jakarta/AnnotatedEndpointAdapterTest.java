package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.wsauth.jakarta.annotated.HiddenEndpoints;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.ArgumentMatchers;
import org.mockito.InOrder;

import jakarta.websocket.CloseReason;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;

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

  // --- refusals when the model is built, each with the message that names the check ---

  public static class OpenWithCloseReason {
    @OnOpen
    public void open(Session s, CloseReason r) {}
  }

  public static class CloseWithConfig {
    @OnClose
    public void close(EndpointConfig c) {}
  }

  public static class ErrorWithPlainString {
    @OnError
    public void error(Throwable t, String notAPathParam) {}
  }

  public static class OpenWithIntPathParam {
    @OnOpen
    public void open(@PathParam("n") Integer n) {}
  }

  public static class MessageWithConfig {
    @OnMessage
    public void text(String m, EndpointConfig c) {}
  }

  public static class MessageWithTwoPayloads {
    @OnMessage
    public void text(String m, ByteBuffer b) {}
  }

  public static class MessageWithTwoStrings {
    @OnMessage
    public void text(String m, String again) {}
  }

  public static class MessageWithoutPayload {
    @OnMessage
    public void text(Session s, @PathParam("room") String room) {}
  }

  public static class MessageReturningInt {
    @OnMessage
    public int text(String m) {
      return 0;
    }
  }

  public static class MessageReturningObject {
    @OnMessage
    public Object bytes(byte[] m) {
      return m;
    }
  }

  public static class TwoOpens {
    @OnOpen
    public void a() {}

    @OnOpen
    public void b(Session s) {}
  }

  public static class TwoCloses {
    @OnClose
    public void a() {}

    @OnClose
    public void b() {}
  }

  public static class TwoErrors {
    @OnError
    public void a(Throwable t) {}

    @OnError
    public void b(Throwable t) {}
  }

  public static class TwoBinaryHandlers {
    @OnMessage
    public void a(ByteBuffer m) {}

    @OnMessage
    public void b(byte[] m) {}
  }

  @Test
  void model_parameterNotSupportedForItsEvent_isRefusedNamingIt() {
    assertRefused(OpenWithCloseReason.class, "unsupported parameter jakarta.websocket.CloseReason arg1 of @OnOpen");
    assertRefused(CloseWithConfig.class, "unsupported parameter jakarta.websocket.EndpointConfig arg0 of @OnClose");
    assertRefused(ErrorWithPlainString.class, "unsupported parameter java.lang.String arg1 of @OnError");
    assertRefused(OpenWithIntPathParam.class, "unsupported parameter java.lang.Integer arg0 of @OnOpen");
    assertRefused(MessageWithConfig.class,
        "unsupported parameter jakarta.websocket.EndpointConfig arg1 of @OnMessage");
    assertRefused(MessageWithTwoPayloads.class, "unsupported parameter java.nio.ByteBuffer arg1 of @OnMessage");
    assertRefused(MessageWithTwoStrings.class, "unsupported parameter java.lang.String arg1 of @OnMessage");
    assertRefused(UnsupportedParameter.class, "unsupported parameter java.lang.Integer arg1 of @OnMessage");
  }

  @Test
  void model_onMessageWithoutPayload_isRefused() {
    assertRefused(MessageWithoutPayload.class, "@OnMessage needs a String, ByteBuffer or byte[] parameter: ");
  }

  @Test
  void model_onMessageWithBadReturnType_isRefused() {
    assertRefused(MessageReturningInt.class, "@OnMessage may return void, String, ByteBuffer or byte[]: ");
    assertRefused(MessageReturningObject.class, "@OnMessage may return void, String, ByteBuffer or byte[]: ");
  }

  @Test
  void model_secondMethodForAnEvent_isRefused() {
    for (Class<?> c : List.of(TwoOpens.class, TwoCloses.class, TwoErrors.class, TwoTextHandlers.class,
        TwoBinaryHandlers.class)) {
      assertRefused(c, "more than one method for the same event: ");
    }
  }

  @Test
  void model_nullType_isRefused() {
    assertThatThrownBy(() -> AnnotatedEndpointAdapter.model(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("type must not be null");
  }

  private static void assertRefused(Class<?> type, String message) {
    assertThatThrownBy(() -> AnnotatedEndpointAdapter.model(type)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  // --- what is accepted, and what the methods get ---

  /** Static methods are not the instance's: ignored, even with an unsupported signature. */
  public static class StaticIgnored {
    @OnMessage
    public static int text(Integer what) {
      return 0;
    }

    @OnOpen
    public static void open() {}
  }

  @Test
  void model_staticMethods_areIgnored() {
    AnnotatedEndpointAdapter.Model m = AnnotatedEndpointAdapter.model(StaticIgnored.class);
    assertThat(m.onOpen()).isNull();
    assertThat(m.onText()).isNull();
    assertThat(m.onBinary()).isNull();
  }

  /** Records every call; every event with all the parameters it may take. */
  public static class Everything {
    final List<String> calls = new ArrayList<>();
    RuntimeException failOnMessage;

    @OnOpen
    public void open(EndpointConfig c, Session s, @PathParam("room") String room) {
      calls.add("open " + (c != null) + " " + (s != null) + " " + room);
    }

    @OnMessage
    public String text(@PathParam("room") String room, String m, Session s) {
      calls.add("text " + m + " " + room + " " + (s != null));
      if (failOnMessage != null) {
        throw failOnMessage;
      }
      return "echo:" + m;
    }

    @OnMessage
    public ByteBuffer binary(Session s, ByteBuffer m) {
      calls.add("binary " + m.remaining());
      return m;
    }

    @OnClose
    public void close(CloseReason r, Session s, @PathParam("other") String other) {
      calls.add("close " + r.getCloseCode().getCode() + " " + (s != null) + " " + other);
    }

    @OnError
    public void error(Session s, Throwable t) {
      calls.add("error " + t.getMessage() + " " + (s != null));
    }
  }

  private final Session session = mock(Session.class);
  private final RemoteEndpoint.Basic remote = mock(RemoteEndpoint.Basic.class);
  private final EndpointConfig config = mock(EndpointConfig.class);

  private AnnotatedEndpointAdapter open(Class<?> type, Object instance) {
    when(session.getBasicRemote()).thenReturn(remote);
    when(session.getPathParameters()).thenReturn(Map.of("room", "lobby"));
    AnnotatedEndpointAdapter adapter = new AnnotatedEndpointAdapter(AnnotatedEndpointAdapter.model(type), instance);
    adapter.onOpen(session, config);
    return adapter;
  }

  @SuppressWarnings("unchecked")
  private MessageHandler.Whole<String> textHandler() {
    ArgumentCaptor<MessageHandler.Whole<String>> c = ArgumentCaptor.forClass(MessageHandler.Whole.class);
    verify(session).addMessageHandler(eq(String.class), c.capture());
    return c.getValue();
  }

  @SuppressWarnings("unchecked")
  private MessageHandler.Whole<ByteBuffer> binaryHandler() {
    ArgumentCaptor<MessageHandler.Whole<ByteBuffer>> c = ArgumentCaptor.forClass(MessageHandler.Whole.class);
    verify(session).addMessageHandler(eq(ByteBuffer.class), c.capture());
    return c.getValue();
  }

  @Test
  void events_getTheirParameters_andRepliesAreSent() throws IOException {
    Everything app = new Everything();
    AnnotatedEndpointAdapter adapter = open(Everything.class, app);
    textHandler().onMessage("hi");
    ByteBuffer data = ByteBuffer.wrap(new byte[] {1, 2, 3});
    binaryHandler().onMessage(data);
    adapter.onError(session, new IllegalStateException("boom"));
    adapter.onClose(session, new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "bye"));

    assertThat(app.calls).containsExactly("open true true lobby", "text hi lobby true", "binary 3",
        "error boom true", "close 1001 true null");
    verify(remote).sendText("echo:hi");
    verify(remote).sendBinary(data);
  }

  @Test
  void onOpen_registersTheMessageHandlersBeforeTheApplicationRuns() {
    Everything app = new Everything();
    open(Everything.class, app);
    InOrder order = inOrder(session);
    order.verify(session).addMessageHandler(eq(String.class), ArgumentMatchers.<MessageHandler.Whole<String>>any());
    order.verify(session).getPathParameters();
  }

  public static class Bytes {
    final List<String> got = new ArrayList<>();

    @OnMessage
    public byte[] bytes(byte[] m) {
      got.add(new String(m, StandardCharsets.US_ASCII));
      return "back".getBytes(StandardCharsets.US_ASCII);
    }
  }

  @Test
  void bytePayload_isTheBufferCopied_andAByteArrayReplyIsSentAsBinary() throws IOException {
    Bytes app = new Bytes();
    AnnotatedEndpointAdapter adapter = open(Bytes.class, app);
    assertThat(adapter.toString()).isEqualTo("AnnotatedEndpointAdapter[" + Bytes.class.getName() + "]");
    ByteBuffer data = ByteBuffer.wrap("xabc".getBytes(StandardCharsets.US_ASCII));
    data.position(1);
    binaryHandler().onMessage(data);
    assertThat(app.got).containsExactly("abc");
    verify(remote).sendBinary(ByteBuffer.wrap("back".getBytes(StandardCharsets.US_ASCII)));
    verify(session, never()).addMessageHandler(eq(String.class), ArgumentMatchers.<MessageHandler.Whole<String>>any());
    adapter.onClose(session, new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
    adapter.onError(session, new IllegalStateException("nobody listens"));
  }

  public static class Quiet {
    int texts;

    @OnMessage
    public void text(String m) {
      texts++;
    }
  }

  @Test
  void voidMethod_sendsNoReply() {
    Quiet app = new Quiet();
    open(Quiet.class, app);
    textHandler().onMessage("hi");
    assertThat(app.texts).isEqualTo(1);
    verify(session, never()).getBasicRemote();
  }

  @Test
  void applicationException_goesToOnErrorOnce_insteadOfTheContainer() {
    Everything app = new Everything();
    app.failOnMessage = new IllegalStateException("app failed");
    open(Everything.class, app);
    textHandler().onMessage("hi");
    assertThat(app.calls).containsExactly("open true true lobby", "text hi lobby true", "error app failed true");
    verify(session, never()).getBasicRemote();
  }

  public static class FailingError {
    int errors;

    @OnMessage
    public void text(String m) {
      throw new IllegalStateException("from text");
    }

    @OnError
    public void error(Throwable t) throws IOException {
      errors++;
      throw new IOException("from error: " + t.getMessage());
    }
  }

  @Test
  void failingOnError_isNotRoutedAgain_itsCheckedExceptionIsWrapped() {
    FailingError app = new FailingError();
    open(FailingError.class, app);
    MessageHandler.Whole<String> text = textHandler();
    assertThatThrownBy(() -> text.onMessage("hi")).isInstanceOf(IllegalStateException.class)
        .hasMessage("endpoint method failed").cause().isInstanceOf(IOException.class)
        .hasMessage("from error: from text");
    assertThat(app.errors).isEqualTo(1);
  }

  public static class NoErrorHandler {
    @OnMessage
    public void text(String m) {
      throw new UnsupportedOperationException("unhandled");
    }

    @OnClose
    public void close() throws IOException {
      throw new IOException("checked");
    }
  }

  @Test
  void withoutOnError_aRuntimeExceptionPropagatesAsIs_aCheckedOneWrapped() {
    AnnotatedEndpointAdapter adapter = open(NoErrorHandler.class, new NoErrorHandler());
    MessageHandler.Whole<String> text = textHandler();
    assertThatThrownBy(() -> text.onMessage("hi")).isInstanceOf(UnsupportedOperationException.class)
        .hasMessage("unhandled");
    CloseReason reason = new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "");
    assertThatThrownBy(() -> adapter.onClose(session, reason)).isInstanceOf(IllegalStateException.class)
        .hasMessage("endpoint method failed").hasCauseInstanceOf(IOException.class);
  }

  public static class OpenAndError {
    final List<String> calls = new ArrayList<>();

    @OnOpen
    @OnError
    public void both(Session s) {
      calls.add("both");
      if (calls.size() == 1) {
        throw new IllegalStateException("open failed");
      }
    }
  }

  @Test
  void theOnErrorMethodItself_failing_isNotRoutedToItself() {
    OpenAndError app = new OpenAndError();
    assertThatThrownBy(() -> open(OpenAndError.class, app)).isInstanceOf(IllegalStateException.class)
        .hasMessage("open failed");
    assertThat(app.calls).containsExactly("both");
  }

  public static class FailingReply {
    @OnMessage
    public String text(String m) {
      return "reply";
    }
  }

  @Test
  void replyThatCannotBeSent_failsTheHandler() throws IOException {
    open(FailingReply.class, new FailingReply());
    IOException broken = new IOException("broken pipe");
    org.mockito.Mockito.doThrow(broken).when(remote).sendText("reply");
    MessageHandler.Whole<String> text = textHandler();
    assertThatThrownBy(() -> text.onMessage("hi")).isInstanceOf(IllegalStateException.class)
        .hasMessage("could not send the reply").hasCause(broken);
  }

  @Test
  void publicMethodsOfANonPublicClass_areMadeAccessible() throws IOException {
    open(HiddenEndpoints.type(), HiddenEndpoints.instance());
    textHandler().onMessage("hi");
    verify(remote).sendText("hidden:hi");
  }

  @Test
  void instanceOfAnotherClass_isRefused() {
    AnnotatedEndpointAdapter.Model model = AnnotatedEndpointAdapter.model(Good.class);
    assertThatThrownBy(() -> new AnnotatedEndpointAdapter(model, new Quiet()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("not an instance of " + Good.class.getName());
  }
}
