package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * A Helm chart repository whose chart versions a Source watches: an HTTP(S) repository (its {@code
 * index.yaml}) or an OCI one ({@code oci://}, the chart's tags).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HelmSource {
  @JsonPropertyDescription(
      "Repository URL: https://charts.example.com/stable (index.yaml is read below it), http://"
          + " with insecure, or oci://registry/path (the chart is repository path/<chart>).")
  @Required
  @Pattern("^(https?|oci)://[^\\s]+$")
  @Size(max = 2048)
  private String url;

  @JsonPropertyDescription("Chart name, as in the index or the OCI repository's last segment.")
  @Required
  @Pattern("^[A-Za-z0-9][A-Za-z0-9._-]*$")
  @Size(max = 250)
  private String chart;

  @JsonPropertyDescription("Allow plain HTTP (loopback and test repositories only).")
  private Boolean insecure = false;

  @JsonPropertyDescription(
      "Secret with the repository's credentials: for https, keys username and password (basic"
          + " auth, as helm repo add --username/--password); for oci://, a"
          + " kubernetes.io/dockerconfigjson Secret.")
  private SecretRef credentialsSecretRef;

  @JsonPropertyDescription("Secret whose ca.crt is trusted for the repository's TLS certificate.")
  private SecretRef caSecretRef;

  @JsonPropertyDescription(
      "Allow a repository in a private network: loopback, link-local, RFC 1918.")
  private Boolean allowPrivateNetwork = false;

  @JsonPropertyDescription("Deadline of one request, headers to last byte (Go duration, 1s..10m).")
  @Default("60s")
  @Pattern(Patterns.DURATION)
  private String timeout = "60s";

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getChart() {
    return chart;
  }

  public void setChart(String chart) {
    this.chart = chart;
  }

  public Boolean getInsecure() {
    return insecure;
  }

  public void setInsecure(Boolean insecure) {
    this.insecure = insecure;
  }

  public SecretRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(SecretRef credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }

  public SecretRef getCaSecretRef() {
    return caSecretRef;
  }

  public void setCaSecretRef(SecretRef caSecretRef) {
    this.caSecretRef = caSecretRef;
  }

  public Boolean getAllowPrivateNetwork() {
    return allowPrivateNetwork;
  }

  public void setAllowPrivateNetwork(Boolean allowPrivateNetwork) {
    this.allowPrivateNetwork = allowPrivateNetwork;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof HelmSource that)) {
      return false;
    }
    return Objects.equals(url, that.url)
        && Objects.equals(chart, that.chart)
        && Objects.equals(insecure, that.insecure)
        && Objects.equals(credentialsSecretRef, that.credentialsSecretRef)
        && Objects.equals(caSecretRef, that.caSecretRef)
        && Objects.equals(allowPrivateNetwork, that.allowPrivateNetwork)
        && Objects.equals(timeout, that.timeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        url, chart, insecure, credentialsSecretRef, caSecretRef, allowPrivateNetwork, timeout);
  }

  @Override
  public String toString() {
    return "HelmSource{url="
        + url
        + ", chart="
        + chart
        + ", insecure="
        + insecure
        + ", credentialsSecretRef="
        + credentialsSecretRef
        + ", caSecretRef="
        + caSecretRef
        + ", allowPrivateNetwork="
        + allowPrivateNetwork
        + ", timeout="
        + timeout
        + "}";
  }
}
