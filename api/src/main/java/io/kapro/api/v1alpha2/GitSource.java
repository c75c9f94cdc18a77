package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * A Git repository a Source watches by its refs only (no clone): its tags (ordered by the Source's
 * selection, semver by default) or, with {@code branch}, the branch's newest commit.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GitSource {
  @JsonPropertyDescription(
      "Repository URL: https://host/org/repo.git; http:// and git:// only with insecure.")
  @Required
  @Pattern("^(https?|git)://[^\\s]+$")
  @Size(max = 2048)
  private String url;

  @JsonPropertyDescription(
      "Follow this branch's newest commit (the version is the commit hash) instead of the tags.")
  @Size(max = 255)
  private String branch;

  @JsonPropertyDescription("Allow plain http:// or git:// (loopback and test servers only).")
  private Boolean insecure = false;

  @JsonPropertyDescription(
      "Secret with keys username and password for https; a token goes in password (as GitHub,"
          + " GitLab and Gitea accept it).")
  private SecretRef credentialsSecretRef;

  @JsonPropertyDescription("Allow a remote in a private network: loopback, link-local, RFC 1918.")
  private Boolean allowPrivateNetwork = false;

  @JsonPropertyDescription("Deadline of the whole ref listing (Go duration, 1s..10m).")
  @Default("60s")
  @Pattern(Patterns.DURATION)
  private String timeout = "60s";

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getBranch() {
    return branch;
  }

  public void setBranch(String branch) {
    this.branch = branch;
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
    if (!(o instanceof GitSource that)) {
      return false;
    }
    return Objects.equals(url, that.url)
        && Objects.equals(branch, that.branch)
        && Objects.equals(insecure, that.insecure)
        && Objects.equals(credentialsSecretRef, that.credentialsSecretRef)
        && Objects.equals(allowPrivateNetwork, that.allowPrivateNetwork)
        && Objects.equals(timeout, that.timeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, branch, insecure, credentialsSecretRef, allowPrivateNetwork, timeout);
  }

  @Override
  public String toString() {
    return "GitSource{url="
        + url
        + ", branch="
        + branch
        + ", insecure="
        + insecure
        + ", credentialsSecretRef="
        + credentialsSecretRef
        + ", allowPrivateNetwork="
        + allowPrivateNetwork
        + ", timeout="
        + timeout
        + "}";
  }
}
