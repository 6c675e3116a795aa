package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
      "ws | ws"})
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
}
