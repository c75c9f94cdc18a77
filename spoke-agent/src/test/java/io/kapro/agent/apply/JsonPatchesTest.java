package io.kapro.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class JsonPatchesTest {
  final ObjectMapper json = new ObjectMapper();

  @Test
  void mergePatchBecomesEquivalentOperations() throws Exception {
    ObjectNode current =
        (ObjectNode)
            json.readTree(
                "{\"metadata\":{\"resourceVersion\":\"7\"},\"spec\":{\"a\":\"1\",\"l\":[1],\"gone\":\"x\"}}");
    ObjectNode merge =
        (ObjectNode)
            json.readTree(
                "{\"metadata\":{\"annotations\":{\"a/b\":\"t\"}},\"spec\":{\"a\":\"2\",\"l\":[1,2],\"gone\":null,\"absent\":null,\"new\":{\"k\":\"v\",\"n\":null}}}");
    assertThat(JsonPatches.fromMergePatch(current, merge, "7").toString())
        .isEqualTo(
            "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"7\"},"
                + "{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"a/b\":\"t\"}},"
                + "{\"op\":\"replace\",\"path\":\"/spec/a\",\"value\":\"2\"},"
                + "{\"op\":\"replace\",\"path\":\"/spec/l\",\"value\":[1,2]},"
                + "{\"op\":\"remove\",\"path\":\"/spec/gone\"},"
                + "{\"op\":\"add\",\"path\":\"/spec/new\",\"value\":{\"k\":\"v\"}}]");
    ObjectNode withAnnotations = (ObjectNode) json.readTree("{\"metadata\":{\"annotations\":{}}}");
    assertThat(
            JsonPatches.fromMergePatch(
                    withAnnotations,
                    (ObjectNode)
                        json.readTree("{\"metadata\":{\"annotations\":{\"a/b~c\":\"t\"}}}"),
                    null)
                .toString())
        .isEqualTo("[{\"op\":\"add\",\"path\":\"/metadata/annotations/a~1b~0c\",\"value\":\"t\"}]");
  }
}
