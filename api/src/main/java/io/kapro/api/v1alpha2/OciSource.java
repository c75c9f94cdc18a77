package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** An OCI repository whose tags a Source watches. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OciSource {
  @JsonPropertyDescription("Registry: host[:port], https://host or http://host (with insecure).")
  @Required
  private String url;

  @JsonPropertyDescription("Repository within the registry, e.g. team/app.")
  @Required
  @Pattern(Patterns.REPOSITORY_PREFIX)
  @Size(max = 255)
  private String repository;

  @JsonPropertyDescription("Use plain HTTP (loopback and test registries only).")
  private Boolean insecure = false;

  @JsonPropertyDescription("Secret of type kubernetes.io/dockerconfigjson with pull credentials.")
  private SecretRef credentialsSecretRef;

  @JsonPropertyDescription("Secret whose ca.crt is trusted for the registry's TLS certificate.")
  private SecretRef caSecretRef;

  @JsonPropertyDescription("Allow a registry in a private network: loopback, link-local, RFC 1918.")
  private Boolean allowPrivateNetwork = false;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getRepository() {
    return repository;
  }

  public void setRepository(String repository) {
    this.repository = repository;
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

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof OciSource that)) {
      return false;
    }
    return Objects.equals(url, that.url)
        && Objects.equals(repository, that.repository)
        && Objects.equals(insecure, that.insecure)
        && Objects.equals(credentialsSecretRef, that.credentialsSecretRef)
        && Objects.equals(caSecretRef, that.caSecretRef)
        && Objects.equals(allowPrivateNetwork, that.allowPrivateNetwork);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        url, repository, insecure, credentialsSecretRef, caSecretRef, allowPrivateNetwork);
  }

  @Override
  public String toString() {
    return "OciSource{"
        + "url="
        + url
        + ", "
        + "repository="
        + repository
        + ", "
        + "insecure="
        + insecure
        + ", "
        + "credentialsSecretRef="
        + credentialsSecretRef
        + ", "
        + "caSecretRef="
        + caSecretRef
        + ", "
        + "allowPrivateNetwork="
        + allowPrivateNetwork
        + "}";
  }
}
