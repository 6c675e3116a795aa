package io.github.wsauth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class ClientNetworksTest {
  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal); // a literal: no lookup
  }

  @Test
  void ipv6_twoAddressesOfOneSlash64_shareAKey_twoSlash64s_doNot() throws Exception {
    InetAddress a = ClientNetworks.keyOf(ip("2001:db8:1:2::1"));
    assertThat(ClientNetworks.keyOf(ip("2001:db8:1:2:ffff:ffff:ffff:fffe"))).isEqualTo(a);
    assertThat(a).isEqualTo(ip("2001:db8:1:2::"));
    assertThat(ClientNetworks.keyOf(ip("2001:db8:1:3::1"))).isNotEqualTo(a);
    assertThat(ClientNetworks.keyOf(ip("2001:db8:1:2::1%1"))).as("the scope is not part of the key").isEqualTo(a);
  }

  @Test
  void ipv4_isItsOwnKey() throws Exception {
    InetAddress v4 = ip("192.0.2.7");
    assertThat(ClientNetworks.keyOf(v4)).isSameAs(v4);
    assertThat(ClientNetworks.keyOf(ip("192.0.2.8"))).isNotEqualTo(ClientNetworks.keyOf(v4));
  }

  @Test
  void ipv4MappedIpv6_isKeyedAsItsIpv4Address() throws Exception {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = (byte) 192;
    mapped[14] = 2;
    mapped[15] = 7;
    InetAddress v6 = Inet6Address.getByAddress(null, mapped, null);
    assertThat(v6).isInstanceOf(Inet6Address.class);
    assertThat(ClientNetworks.keyOf(v6)).isInstanceOf(Inet4Address.class).isEqualTo(ip("192.0.2.7"));
    byte[] notMapped = mapped.clone();
    notMapped[10] = 0; // ::ffff:… without the first ff is an ordinary ::/64 address
    assertThat(ClientNetworks.keyOf(Inet6Address.getByAddress(null, notMapped, null))).isEqualTo(ip("::"));
  }
}
