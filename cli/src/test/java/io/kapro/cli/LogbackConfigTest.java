package io.kapro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The launcher's logging configuration (tests use logback-test.xml, so check it separately). */
class LogbackConfigTest {
  @Test
  void parsesAndSendsOnlyErrorsToStderr() throws Exception {
    try (InputStream in = KaproCli.class.getResourceAsStream("/logback.xml")) {
      assertThat(in).isNotNull();
      Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
      assertThat(doc.getElementsByTagName("target").item(0).getTextContent())
          .isEqualTo("System.err");
      assertThat(
              doc.getElementsByTagName("root")
                  .item(0)
                  .getAttributes()
                  .getNamedItem("level")
                  .getNodeValue())
          .isEqualTo("ERROR");
    }
  }
}
