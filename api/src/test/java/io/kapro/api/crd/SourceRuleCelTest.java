package io.kapro.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.kapro.api.Examples;
import io.kapro.api.Examples.Manifest;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Source CRD's rule "exactly one of spec.oci, spec.helm or spec.git", read from the committed
 * CRD and evaluated with Google's CEL for Java the way the API server evaluates {@code
 * x-kubernetes-validations} on {@code spec} ({@code self} is the spec): every Source example
 * passes, none or two subscriptions fail.
 */
class SourceRuleCelTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void exactlyOneSubscriptionIsRequired() throws Exception {
    JsonNode crd =
        new YAMLMapper()
            .readTree(
                Files.readString(
                    Examples.repoRoot().resolve("charts/hub/crds/sources.kapro.io.yaml")));
    JsonNode rules =
        crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/x-kubernetes-validations");
    assertThat(rules.isArray()).isTrue();
    String rule = null;
    for (JsonNode r : rules) {
      if (r.path("message").asText().contains("exactly one of spec.oci, spec.helm or spec.git")) {
        rule = r.path("rule").asText();
      }
    }
    assertThat(rule).as("the rule is in the CRD").isNotNull();

    List<Manifest> sources =
        Examples.all().stream().filter(m -> m.kind().equals("Source")).toList();
    assertThat(sources).hasSizeGreaterThanOrEqualTo(3);
    for (Manifest m : sources) {
      assertThat(eval(rule, spec(m.object().get("spec")))).as(m.toString()).isEqualTo(true);
    }
    assertThat(eval(rule, Map.of("fleet", "shop", "unit", "web"))).isEqualTo(false);
    assertThat(
            eval(rule, Map.of("oci", Map.of("url", "r"), "git", Map.of("url", "https://g/x.git"))))
        .isEqualTo(false);
    assertThat(eval(rule, Map.of("helm", Map.of("url", "oci://r/c", "chart", "web"))))
        .isEqualTo(true);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(JsonNode spec) {
    return JSON.convertValue(spec, Map.class);
  }

  private static Object eval(String expression, Map<String, Object> self) throws Exception {
    return RUNTIME.createProgram(COMPILER.compile(expression).getAst()).eval(Map.of("self", self));
  }

  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .build();

  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();
}
