package io.kapro.agent.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs at each level from an io.kapro logger and one other, for {@link AgentLoggingTest}. */
public final class LevelProbe {
  private LevelProbe() {}

  public static void main(String[] args) {
    Logger kapro = LoggerFactory.getLogger(LevelProbe.class);
    Logger other = LoggerFactory.getLogger("org.example.Elsewhere");
    kapro.debug("debug from io.kapro");
    kapro.info("info from io.kapro");
    other.info("info from elsewhere");
    other.warn("warn from elsewhere");
  }
}
