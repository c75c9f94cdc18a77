package io.kapro.agent.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Timestamp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentProtoContractTest {

  private static final Path PROTO = Path.of("src/main/protobuf/kapro/agent/v1/agent.proto");

  @Test
  void everyFieldAndEnumValueIsDocumented() throws IOException {
    List<String> lines = Files.readAllLines(PROTO);
    List<String> undocumented = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      boolean isField = line.matches("(repeated |optional )?[\\w.]+ \\w+ = \\d+;.*");
      if (!isField || line.startsWith("option ")) {
        continue;
      }
      // A field is documented by a comment directly above it, or (for a message whose doc
      // comment describes its only fields) by a trailing comment.
      String above = i > 0 ? lines.get(i - 1).strip() : "";
      boolean documentedAbove = above.startsWith("//");
      boolean selfEvident = isSelfEvidentWrapper(lines, i);
      if (!documentedAbove && !selfEvident) {
        undocumented.add((i + 1) + ": " + line);
      }
    }
    assertThat(undocumented).as("fields without a comment in %s", PROTO).isEmpty();
  }

  /** Oneof members of HubMessage are documented by the message they carry. */
  private static boolean isSelfEvidentWrapper(List<String> lines, int index) {
    for (int i = index; i >= 0; i--) {
      String l = lines.get(i).strip();
      if (l.startsWith("message ")) {
        return l.startsWith("message HubMessage") || l.startsWith("message Ack");
      }
    }
    return false;
  }

  @Test
  void packageIsVersioned() {
    assertThat(AgentProto.getDescriptor().getPackage()).isEqualTo("kapro.agent.v1");
    assertThat(AgentGatewayGrpc.SERVICE_NAME).isEqualTo("kapro.agent.v1.AgentGateway");
    assertThat(AgentGatewayGrpc.getConnectMethod().getType())
        .isEqualTo(io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING);
  }

  @Test
  void evidenceRoundTripsThroughTheWireFormat() throws Exception {
    AgentMessage sent =
        AgentMessage.newBuilder()
            .setEvidence(
                Evidence.newBuilder()
                    .setNumber(42)
                    .setBundleSequence(7)
                    .setBundleDigest("sha256:" + "a".repeat(64))
                    .addUnits(
                        UnitEvidence.newBuilder()
                            .setUnit("podinfo")
                            .setPhase(UnitPhase.UNIT_PHASE_CONVERGED)
                            .setObservedRevision("6.5.1")
                            .addConditions(
                                ObservedCondition.newBuilder()
                                    .setType("Ready")
                                    .setStatus("True")
                                    .setReason("ReconciliationSucceeded"))
                            .setObservedAt(Timestamp.newBuilder().setSeconds(1_700_000_000))))
            .build();
    AgentMessage received = AgentMessage.parseFrom(sent.toByteArray());
    assertThat(received).isEqualTo(sent);
    assertThat(received.getBodyCase()).isEqualTo(AgentMessage.BodyCase.EVIDENCE);
  }

  @Test
  void rejectionReasonsAreUniqueAndNonZero() {
    EnumDescriptor reasons = RejectionReason.getDescriptor();
    assertThat(reasons.getValues()).hasSizeGreaterThan(10);
    assertThat(reasons.getValues().get(0).getNumber()).isZero();
    assertThat(reasons.getValues().stream().map(v -> v.getNumber()).distinct().count())
        .isEqualTo(reasons.getValues().size());
  }

  @Test
  void agentMessagesCarryNoClusterIdentityField() {
    // The cluster an agent speaks for comes from its certificate, never from a message.
    for (Descriptor d : AgentProto.getDescriptor().getMessageTypes()) {
      for (FieldDescriptor f : d.getFields()) {
        assertThat(f.getName()).as(d.getName() + "." + f.getName()).isNotIn("cluster", "namespace");
      }
    }
  }
}
