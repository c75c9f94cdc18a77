package io.kapro.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Observed state of a {@link Cluster}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterStatus {
  @JsonPropertyDescription(
      "Latest observations of the object's state (Ready, Progressing, Stalled, Connected).")
  private List<Condition> conditions;

  @JsonPropertyDescription("Pending, Enrolled or Revoked.")
  private Enrollment enrollment;

  @JsonPropertyDescription(
      "When the hub last recorded a sign of life from the agent (RFC 3339): written when the link"
          + " changes and refreshed every 30 minutes while it holds (heartbeats stay in the hub's"
          + " memory and the cluster's Lease kapro-agent-<name>); the Connected condition is"
          + " current.")
  private String lastSeen;

  @JsonPropertyDescription("Version of the agent.")
  private String agentVersion;

  @JsonPropertyDescription(
      "One-line summary of proven unit versions, e.g. web=1.2.0,api=1.2.0 (printer column).")
  private String versionSummary;

  @JsonPropertyDescription("Unit name -> version as last proven by evidence.")
  private Map<String, ProvenVersion> versions;

  @JsonPropertyDescription("Unit name -> version a rollback returns to.")
  private Map<String, String> previousVersions;

  @JsonPropertyDescription("Bundle sequence numbers.")
  private BundleSequence sequence;

  @JsonPropertyDescription("Manifest digest of the last published bundle.")
  private String publishedDigest;

  @JsonPropertyDescription("Certificate serials that were revoked.")
  private List<String> revokedSerials;

  @JsonPropertyDescription("The agent's current client certificate.")
  private CertificateInfo certificate;

  @JsonPropertyDescription("Highest evidence number stored (evidence is idempotent by number).")
  private Long lastEvidenceNumber;

  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  private Long observedGeneration;

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Enrollment getEnrollment() {
    return enrollment;
  }

  public void setEnrollment(Enrollment enrollment) {
    this.enrollment = enrollment;
  }

  public String getLastSeen() {
    return lastSeen;
  }

  public void setLastSeen(String lastSeen) {
    this.lastSeen = lastSeen;
  }

  public String getAgentVersion() {
    return agentVersion;
  }

  public void setAgentVersion(String agentVersion) {
    this.agentVersion = agentVersion;
  }

  public String getVersionSummary() {
    return versionSummary;
  }

  public void setVersionSummary(String versionSummary) {
    this.versionSummary = versionSummary;
  }

  public Map<String, ProvenVersion> getVersions() {
    return versions;
  }

  public void setVersions(Map<String, ProvenVersion> versions) {
    this.versions = versions;
  }

  public Map<String, String> getPreviousVersions() {
    return previousVersions;
  }

  public void setPreviousVersions(Map<String, String> previousVersions) {
    this.previousVersions = previousVersions;
  }

  public BundleSequence getSequence() {
    return sequence;
  }

  public void setSequence(BundleSequence sequence) {
    this.sequence = sequence;
  }

  public String getPublishedDigest() {
    return publishedDigest;
  }

  public void setPublishedDigest(String publishedDigest) {
    this.publishedDigest = publishedDigest;
  }

  public List<String> getRevokedSerials() {
    return revokedSerials;
  }

  public void setRevokedSerials(List<String> revokedSerials) {
    this.revokedSerials = revokedSerials;
  }

  public CertificateInfo getCertificate() {
    return certificate;
  }

  public void setCertificate(CertificateInfo certificate) {
    this.certificate = certificate;
  }

  public Long getLastEvidenceNumber() {
    return lastEvidenceNumber;
  }

  public void setLastEvidenceNumber(Long lastEvidenceNumber) {
    this.lastEvidenceNumber = lastEvidenceNumber;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ClusterStatus that)) {
      return false;
    }
    return Objects.equals(conditions, that.conditions)
        && Objects.equals(enrollment, that.enrollment)
        && Objects.equals(lastSeen, that.lastSeen)
        && Objects.equals(agentVersion, that.agentVersion)
        && Objects.equals(versionSummary, that.versionSummary)
        && Objects.equals(versions, that.versions)
        && Objects.equals(previousVersions, that.previousVersions)
        && Objects.equals(sequence, that.sequence)
        && Objects.equals(publishedDigest, that.publishedDigest)
        && Objects.equals(revokedSerials, that.revokedSerials)
        && Objects.equals(certificate, that.certificate)
        && Objects.equals(lastEvidenceNumber, that.lastEvidenceNumber)
        && Objects.equals(observedGeneration, that.observedGeneration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        conditions,
        enrollment,
        lastSeen,
        agentVersion,
        versionSummary,
        versions,
        previousVersions,
        sequence,
        publishedDigest,
        revokedSerials,
        certificate,
        lastEvidenceNumber,
        observedGeneration);
  }

  @Override
  public String toString() {
    return "ClusterStatus{conditions="
        + conditions
        + ", enrollment="
        + enrollment
        + ", lastSeen="
        + lastSeen
        + ", agentVersion="
        + agentVersion
        + ", versionSummary="
        + versionSummary
        + ", versions="
        + versions
        + ", previousVersions="
        + previousVersions
        + ", sequence="
        + sequence
        + ", publishedDigest="
        + publishedDigest
        + ", revokedSerials="
        + revokedSerials
        + ", certificate="
        + certificate
        + ", lastEvidenceNumber="
        + lastEvidenceNumber
        + ", observedGeneration="
        + observedGeneration
        + "}";
  }
}
