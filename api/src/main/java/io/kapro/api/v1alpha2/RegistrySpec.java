package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** An OCI distribution registry that receives bundles. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RegistrySpec {
  @JsonPropertyDescription(
      "Registry host[:port] or URL, e.g. 127.0.0.1:5000 or https://reg.example.")
  @Required
  @Size(min = 1, max = 253)
  private String url;

  @JsonPropertyDescription(
      "Repository prefix; a cluster's bundles go to <prefix>/<namespace>/<cluster>.")
  @Default("kapro")
  @Pattern(Patterns.REPOSITORY_PREFIX)
  private String repositoryPrefix = "kapro";

  @JsonPropertyDescription("Use plain HTTP (loopback and test registries only).")
  @Default("false")
  private Boolean insecure = false;

  @JsonPropertyDescription("Secret of type kubernetes.io/dockerconfigjson with push credentials.")
  private SecretRef credentialsSecretRef;

  @JsonPropertyDescription("Secret whose ca.crt is trusted for the registry's TLS certificate.")
  private SecretRef caSecretRef;

  @JsonPropertyDescription(
      "Other host names that may receive the registry credentials (the registry's own token"
          + " server or storage on another host); any other host gets none.")
  @Size(max = 8)
  private java.util.List<String> authHosts;

  @JsonPropertyDescription(
      "Allow a registry (and authHosts) in a private network: loopback, link-local, RFC 1918."
          + " Refused by default, as for webhook destinations.")
  @Default("false")
  private Boolean allowPrivateNetwork = false;

  public java.util.List<String> getAuthHosts() {
    return authHosts;
  }

  public void setAuthHosts(java.util.List<String> authHosts) {
    this.authHosts = authHosts;
  }

  public Boolean getAllowPrivateNetwork() {
    return allowPrivateNetwork;
  }

  public void setAllowPrivateNetwork(Boolean allowPrivateNetwork) {
    this.allowPrivateNetwork = allowPrivateNetwork;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getRepositoryPrefix() {
    return repositoryPrefix;
  }

  public void setRepositoryPrefix(String repositoryPrefix) {
    this.repositoryPrefix = repositoryPrefix;
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

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RegistrySpec that)) {
      return false;
    }
    return Objects.equals(url, that.url)
        && Objects.equals(repositoryPrefix, that.repositoryPrefix)
        && Objects.equals(insecure, that.insecure)
        && Objects.equals(credentialsSecretRef, that.credentialsSecretRef)
        && Objects.equals(caSecretRef, that.caSecretRef)
        && Objects.equals(authHosts, that.authHosts)
        && Objects.equals(allowPrivateNetwork, that.allowPrivateNetwork);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        url,
        repositoryPrefix,
        insecure,
        credentialsSecretRef,
        caSecretRef,
        authHosts,
        allowPrivateNetwork);
  }

  @Override
  public String toString() {
    return "RegistrySpec{url="
        + url
        + ", repositoryPrefix="
        + repositoryPrefix
        + ", insecure="
        + insecure
        + ", credentialsSecretRef="
        + credentialsSecretRef
        + ", caSecretRef="
        + caSecretRef
        + "}";
  }
}
