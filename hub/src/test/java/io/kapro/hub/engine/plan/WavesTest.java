package io.kapro.hub.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WavesTest {
  static Stream<Arguments> waves() {
    List<String> canary = List.of("1", "10%", "50%", "100%");
    return Stream.of(
        Arguments.of(canary, 1, List.of(1)),
        Arguments.of(canary, 3, List.of(1, 2, 3)),
        Arguments.of(canary, 10, List.of(1, 2, 5, 10)),
        Arguments.of(canary, 1000, List.of(1, 100, 500, 1000)),
        Arguments.of(List.of("100%"), 1, List.of(1)),
        Arguments.of(List.of("100%"), 1000, List.of(1000)),
        Arguments.of(List.of("1", "5", "20"), 1, List.of(1)),
        Arguments.of(List.of("1", "5", "20"), 3, List.of(1, 3)),
        Arguments.of(List.of("1", "5", "20"), 10, List.of(1, 5, 10)),
        Arguments.of(List.of("1", "5", "20"), 1000, List.of(1, 5, 20, 1000)),
        Arguments.of(List.of("25%", "50%", "75%", "100%"), 3, List.of(1, 2, 3)),
        Arguments.of(List.of("25%", "50%", "75%", "100%"), 10, List.of(3, 5, 8, 10)),
        Arguments.of(List.of("33%"), 1000, List.of(330, 1000)),
        Arguments.of(List.of("10", "5%"), 1000, List.of(10, 50, 1000)),
        Arguments.of(List.of("10", "1%"), 1000, List.of(10, 11, 1000)),
        Arguments.of(canary, 0, List.of()));
  }

  @ParameterizedTest(name = "{0} over {1} clusters → {2}")
  @MethodSource("waves")
  void cumulativeSizes(List<String> steps, int clusters, List<Integer> expected) {
    List<WaveStep> parsed = steps.stream().map(WaveStep::parse).toList();
    List<Integer> cumulative = Waves.cumulative(parsed, clusters);
    assertThat(cumulative).containsExactlyElementsOf(expected);
    for (int i = 0; i < cumulative.size(); i++) {
      int previous = i == 0 ? 0 : cumulative.get(i - 1);
      assertThat(cumulative.get(i))
          .as("each wave adds at least one cluster")
          .isGreaterThan(previous);
    }
  }
}
