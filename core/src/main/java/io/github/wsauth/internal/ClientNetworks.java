package io.github.wsauth.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The key a per-client cap counts a peer under: an IPv4 address as itself, an IPv6 address by its /64 prefix (one
 * subscriber is routinely given a whole /64, 2^64 addresses, so keying by the full address would let one client
 * take every slot), and an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) as its IPv4 address.
 *
 * <p>Internal: shared by wsauth's modules, not part of the API. Thread-safe (stateless).
 */
public final class ClientNetworks {
  /** The bytes of an IPv6 prefix kept: 64 bits. */
  private static final int IPV6_PREFIX_BYTES = 8;

  private ClientNetworks() {}

  /**
   * The key {@code address} is counted under: equal for two addresses of one client network.
   *
   * @throws NullPointerException if {@code address} is null
   */
  public static InetAddress keyOf(InetAddress address) {
    if (address instanceof Inet4Address) {
      return address;
    }
    byte[] bytes = address.getAddress(); // 16 bytes: an Inet6Address (its scope is not part of the key)
    if (isIpv4Mapped(bytes)) {
      return byAddress(Arrays.copyOfRange(bytes, 12, 16));
    }
    Arrays.fill(bytes, IPV6_PREFIX_BYTES, bytes.length, (byte) 0);
    return byAddress(bytes);
  }

  private static boolean isIpv4Mapped(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }

  private static InetAddress byAddress(byte[] bytes) {
    try {
      return bytes.length == 4 ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, null);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are an address", e);
    }
  }
}
