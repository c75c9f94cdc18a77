package io.kapro.hub.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DestinationGuardTest {
  static Stream<String> privateAddresses() {
    return Stream.of(
        "127.0.0.1",
        "127.8.9.10",
        "::1",
        "0.0.0.0",
        "::",
        "10.1.2.3",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "100.64.0.1",
        "100.127.255.254",
        "224.0.0.1",
        "ff02::1",
        "255.255.255.255",
        "198.18.0.1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::127.0.0.1",
        "64:ff9b::a9fe:a9fe",
        "2002:c0a8:0101::1",
        "fec0::1");
  }

  @ParameterizedTest
  @MethodSource("privateAddresses")
  void privateAddressesAreRefused(String literal) throws Exception {
    InetAddress a = InetAddress.getByName(literal);
    assertThat(DestinationGuard.isPrivate(a)).as(literal).isTrue();
    DestinationGuard guard = new DestinationGuard(false, host -> new InetAddress[] {a});
    assertThat(guard.refusal(URI.create("https://hooks.example/x")))
        .contains("private address")
        .contains("allowPrivateDestinations");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8.8.8.8",
        "93.184.215.14",
        "2606:4700::1111",
        "100.128.0.1",
        "172.32.0.1",
        "64:ff9b::808:808"
      })
  void publicAddressesPass(String literal) throws Exception {
    InetAddress a = InetAddress.getByName(literal);
    assertThat(DestinationGuard.isPrivate(a)).as(literal).isFalse();
  }

  @Test
  void everyResolvedAddressIsChecked() throws Exception {
    InetAddress[] mixed = {InetAddress.getByName("8.8.8.8"), InetAddress.getByName("10.0.0.5")};
    DestinationGuard guard = new DestinationGuard(false, host -> mixed);
    assertThat(guard.refusal(URI.create("https://hooks.example/x"))).contains("10.0.0.5");
  }

  @Test
  void unresolvableHostsAreRefused() {
    DestinationGuard guard =
        new DestinationGuard(
            false,
            host -> {
              throw new UnknownHostException(host);
            });
    assertThat(guard.refusal(URI.create("https://nowhere.invalid/x"))).contains("cannot resolve");
  }

  @Test
  void literalIpv6HostIsResolvedWithoutBrackets() {
    DestinationGuard guard = new DestinationGuard(false, InetAddress::getAllByName);
    assertThat(guard.refusal(URI.create("http://[::1]:8080/x"))).contains("::1");
  }

  @Test
  void fleetMayAllowPrivateDestinations() {
    DestinationGuard guard =
        new DestinationGuard(
            true,
            host -> {
              throw new AssertionError("no lookup needed");
            });
    assertThat(guard.refusal(URI.create("http://127.0.0.1:1/x"))).isNull();
  }

  /**
   * A metrics gate's Prometheus in a private network: the refusal names the gate's field
   * (metrics.address) and the Fleet field that allows it, as a registry's names its
   * allowPrivateNetwork; it does not call the Prometheus a webhook (it did before).
   */
  @Test
  void aMetricsGateRefusalNamesItsFieldAndTheFix() throws Exception {
    InetAddress a = InetAddress.getByName("10.0.0.5");
    PrometheusClient client =
        new PrometheusClient(new DestinationGuard(false, host -> new InetAddress[] {a}));
    var answer =
        client.query(
            "https://prometheus.monitoring.example:9090",
            "up",
            java.time.Duration.ofSeconds(1),
            new PrometheusClient.Auth.None(),
            null);
    assertThat(answer)
        .isEqualTo(
            new PrometheusClient.Answer.Failure(
                "metrics.address: refused: metrics gate host prometheus.monitoring.example"
                    + " resolves to the private address 10.0.0.5; set the Fleet's"
                    + " spec.webhooks.allowPrivateDestinations: true (it covers metrics gates too)"
                    + " if this Prometheus is meant to be in a private network"));
  }

  @Test
  void aRegistryOrGitRefusalNamesItsKindAndItsOwnFix() throws Exception {
    InetAddress a = InetAddress.getByName("192.168.1.9");
    DestinationGuard guard = new DestinationGuard(false, host -> new InetAddress[] {a});
    assertThat(
            guard.refusal(
                URI.create("https://git.lan/x.git"),
                "Git remote",
                "set spec.git.allowPrivateNetwork: true"))
        .isEqualTo(
            "refused: Git remote host git.lan resolves to the private address 192.168.1.9;"
                + " set spec.git.allowPrivateNetwork: true");
    assertThat(guard.refusal(URI.create("https://hooks.example/x")))
        .isEqualTo(
            "refused: webhook host hooks.example resolves to the private address 192.168.1.9; "
                + DestinationGuard.WEBHOOK_FIX);
  }
}
