package io.kapro.hub.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Refuses webhook destinations inside private networks: loopback, link-local (including cloud
 * metadata at 169.254.169.254), RFC 1918, carrier-grade NAT, unique-local IPv6, unspecified and
 * multicast addresses, and IPv6 forms that embed such an IPv4 address. Every address the host
 * resolves to is checked. A Fleet can allow private destinations explicitly.
 *
 * <p>Known limit: the HTTP client resolves the name again when it connects, so a DNS server that
 * answers differently the second time (rebinding) is not caught here.
 */
public final class DestinationGuard {
  /** Name resolution, replaceable in tests. */
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final boolean allowPrivate;
  private final Resolver resolver;

  /** A guard that resolves names with the system resolver. */
  public static DestinationGuard system(boolean allowPrivate) {
    return new DestinationGuard(allowPrivate, InetAddress::getAllByName);
  }

  DestinationGuard(boolean allowPrivate, Resolver resolver) {
    this.allowPrivate = allowPrivate;
    this.resolver = resolver;
  }

  /** The fix for a webhook gate or event sink in a private network. */
  public static final String WEBHOOK_FIX =
      "set the Fleet's spec.webhooks.allowPrivateDestinations: true to allow it";

  /** Why the webhook URL may not be called, or null when it may. */
  public String refusal(URI url) {
    return refusal(url, "webhook", WEBHOOK_FIX);
  }

  /**
   * Why the URL may not be called, or null when it may: {@code what} names the kind of destination
   * ({@code webhook}, {@code metrics gate}, {@code registry}, {@code Git remote}) and {@code fix}
   * the field that allows it, which a private address ends with.
   */
  public String refusal(URI url, String what, String fix) {
    if (allowPrivate) {
      return null;
    }
    String host = url.getHost();
    if (host == null || host.isBlank()) {
      return what + " URL has no host";
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      return "cannot resolve " + what + " host " + host;
    }
    if (addresses == null || addresses.length == 0) {
      return "cannot resolve " + what + " host " + host;
    }
    for (InetAddress a : addresses) {
      if (isPrivate(a)) {
        return "refused: "
            + what
            + " host "
            + host
            + " resolves to the private address "
            + a.getHostAddress()
            + "; "
            + fix;
      }
    }
    return null;
  }

  static boolean isPrivate(InetAddress a) {
    if (a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isAnyLocalAddress()
        || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 // "this network"
          || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT
          || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
          || (first == 198 && (second == 18 || second == 19)) // benchmarking
          || first >= 240; // reserved and broadcast
    }
    if (a instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) { // fc00::/7 unique local
        return true;
      }
      if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) { // fec0::/10 site local (deprecated)
        return true;
      }
      byte[] embedded = embeddedIpv4(b);
      if (embedded != null) {
        try {
          return isPrivate(InetAddress.getByAddress(embedded));
        } catch (UnknownHostException e) {
          return true;
        }
      }
    }
    return false;
  }

  /** The IPv4 address inside an IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 address. */
  private static byte[] embeddedIpv4(byte[] b) {
    boolean zeroPrefix = true;
    for (int i = 0; i < 12; i++) {
      zeroPrefix &= b[i] == 0;
    }
    boolean nat64 =
        (b[0] & 0xff) == 0x00
            && (b[1] & 0xff) == 0x64
            && (b[2] & 0xff) == 0xff
            && (b[3] & 0xff) == 0x9b;
    for (int i = 4; nat64 && i < 12; i++) {
      nat64 = b[i] == 0;
    }
    if (zeroPrefix || nat64) {
      return new byte[] {b[12], b[13], b[14], b[15]};
    }
    if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) { // 2002::/16 6to4
      return new byte[] {b[2], b[3], b[4], b[5]};
    }
    return null;
  }
}
