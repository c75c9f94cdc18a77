package io.kapro.cli.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kapro.cli.Cli;
import io.kapro.cli.ExitCodes;
import io.kapro.oci.testing.AttackCorpus;
import io.kapro.oci.testing.AttackCorpus.Attack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code kapro verify} on every attack of the corpus and on the legitimate bundle. */
final class CorpusRuns {
  private CorpusRuns() {}

  /**
   * The flags that make the CLI judge like the corpus's verifier (time, cluster, last sequence).
   */
  static List<String> corpusFlags(Path pub) {
    return List.of(
        "--key",
        pub.toString(),
        "--cluster",
        "team-a/edge-1",
        "--min-sequence",
        Long.toString(AttackCorpus.HIGH_WATER_MARK),
        "--at",
        AttackCorpus.NOW.toString());
  }

  static void assertEveryAttackRejected(
      List<Attack> attacks,
      java.util.function.Function<Attack, String> ref,
      Path pub,
      String... extra)
      throws Exception {
    assertThat(attacks).hasSizeGreaterThanOrEqualTo(11);
    for (Attack a : attacks) {
      List<String> args = new ArrayList<>(List.of("verify", ref.apply(a)));
      args.addAll(corpusFlags(pub));
      args.addAll(List.of(extra));
      Cli.Result text = Cli.raw(args.toArray(String[]::new));
      assertThat(text.exit()).as(a.name() + "\n" + text).isEqualTo(ExitCodes.FAILED);
      assertThat(text.out())
          .as(a.name() + "\n" + text)
          .contains("verdict: REJECTED (" + a.expected() + ")")
          .containsPattern("(?m)^reason:  \\S");
      args.addAll(List.of("-o", "json"));
      Cli.Result json = Cli.raw(args.toArray(String[]::new));
      assertThat(json.exit()).as(a.name()).isEqualTo(ExitCodes.FAILED);
      JsonNode v = new ObjectMapper().readTree(json.out());
      assertThat(v.get("verdict").asText()).isEqualTo("REJECTED");
      assertThat(v.get("reason").asText()).as(a.name()).isEqualTo(a.expected().name());
      assertThat(v.get("message").asText()).contains(a.repository());
    }
  }
}
