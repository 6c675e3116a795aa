package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RedactionTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ws://alice:SECRET@host/ws          | ws://***@host/ws",
      "wss://alice:SECRET@host            | wss://***@host",
      "wss://alice:SECRET@host:8443?v=1   | wss://***@host:8443?v=1",
      "ws://SECRET@host/                  | ws://***@host/",
      "ws://SECRET:@host/                 | ws://***@host/",
      "ws://host/ws                       | ws://host/ws",
      "/ws?token=SECRET                   | /ws?token=***",
      "/ws?token=SECRET&v=2&room=lobby    | /ws?token=***&v=2&room=lobby",
      "/ws?access_token=SECRET&lang=en    | /ws?access_token=***&lang=en",
      "/ws?V=2&Token=SECRET               | /ws?V=2&Token=***",
      "/ws?a=SECRET&a=SECRET2             | /ws?a=***&a=***",
      "/ws?SECRET&x=SECRET2               | /ws?***&x=***",
      "/ws?SECRET                         | /ws?***",
      "/ws?a=1&SECRET                     | /ws?a=***&***",
      "/ws?v=2;SECRET#frag                | /ws?v=2;***#***",
      "/ws?v&LANG&room=lobby              | /ws?v&LANG&room=lobby",
      "/ws?v=2&&room=lobby&               | /ws?v=2&&room=lobby&",
      "?SECRET                            | ?***",
      "/ws?token=SECRET#frag              | /ws?token=***#***",
      "/ws#access_token=SECRET            | /ws#***",
      "/ws?v=1;token=SECRET               | /ws?v=1;token=***",
      "/ws?x=1#a?token=SECRET             | /ws?x=***#***",
      "ws://alice:SECRET@host/p?token=SECRET2 | ws://***@host/p?token=***",
      "://alice:SECRET@host                | ://***@host",
      "ws://SECRET@host/p?SECRET2         | ws://***@host/p?***",
      "ws://host/@me                       | ws://host/@me",
      "ws://a:SECRET@host/x@y              | ws://***@host/x@y",
      "ws://@host/                         | ws://***@host/",
      "ws://:SECRET@host/                  | ws://***@host/",
      "ws://alice:SEC:RET@host/            | ws://***@host/",
      "ws://SEC@RET@host/                  | ws://***@host/",
      "/ws?token=SECRET#                   | /ws?token=***#",
      "#access_token=SECRET                | #***",
      "#a?token=SECRET                     | #***",
      "?token=SECRET                       | ?token=***",
      "/files/a=b                          | /files/a=b",
      "/ws?=SECRET                         | /ws?=***"})
  void uri_masksUserInfoQueryValuesAndBareQueryItems(String in, String out) {
    String redacted = Redaction.uri(in);
    assertThat(redacted).isEqualTo(out);
    assertThat(redacted).doesNotContain("SECRET").doesNotContain("alice");
  }

  @Test
  void uri_null() {
    assertThat(Redaction.uri(null)).isEqualTo("null");
  }

  @Test
  void safeQueryParameters_areDocumented() {
    assertThat(Redaction.SAFE_QUERY_PARAMETERS).contains("v", "version", "lang", "room", "channel")
        .doesNotContain("token", "access_token");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Authorization          | Bearer SECRET         | Bearer ***",
      "authorization          | Basic U0VDUkVU        | Basic ***",
      "AUTHORIZATION          | SECRET                | ***",
      "Proxy-Authorization    | Basic U0VDUkVU        | Basic ***",
      "Cookie                 | ws_token=SECRET; a=b  | ***",
      "Set-Cookie             | ws_token=SECRET       | ***",
      "X-Api-Key              | SECRET                | ***",
      "Sec-WebSocket-Protocol | chat, authorization.bearer.SECRET | chat, ***",
      "Sec-WebSocket-Protocol | v2,base64url.bearer.authorization.k8s.io.SECRET | v2, ***",
      "Sec-WebSocket-Protocol | chat, token.SECRETSECRETSECRETSECRETSECRETSECRET | chat, ***",
      "User-Agent             | curl/8                | curl/8",
      "Origin                 | https://app.example   | https://app.example",
      "Authorization          | ' SECRET'             | ***"})
  void header_masksCredentialHeaders(String name, String value, String expected) {
    assertThat(Redaction.header(name, value)).isEqualTo(expected);
  }

  @Test
  void header_subprotocolEntries_upTo40Characters_stay_longerOnesAreMasked() {
    String forty = "x".repeat(40);
    assertThat(Redaction.header("Sec-WebSocket-Protocol", forty + ", y" + forty)).isEqualTo(forty + ", ***");
  }

  @Test
  void header_nulls() {
    assertThat(Redaction.header(null, "SECRET")).isEqualTo(Redaction.MASK);
    assertThat(Redaction.header("Authorization", null)).isNull();
  }
}
