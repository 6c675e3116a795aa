package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class UpgradeRequestsTest {

  @Test
  void socketAddress_ipv4Literal_isResolvedWithoutLookup() {
    InetSocketAddress a = UpgradeRequests.socketAddress("127.0.0.1", 5555);
    assertThat(a.isUnresolved()).isFalse();
    assertThat(a.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(a.getPort()).isEqualTo(5555);
  }

  @Test
  void socketAddress_ipv6Literal_isResolvedWithoutLookup() {
    InetSocketAddress a = UpgradeRequests.socketAddress("0:0:0:0:0:0:0:1", 80);
    assertThat(a.isUnresolved()).isFalse();
    assertThat(a.getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void socketAddress_hostName_staysUnresolved() {
    InetSocketAddress a = UpgradeRequests.socketAddress("client.example", 80);
    assertThat(a.isUnresolved()).isTrue();
    assertThat(a.getHostString()).isEqualTo("client.example");
  }
}
