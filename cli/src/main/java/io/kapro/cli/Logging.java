package io.kapro.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Turns client logging up for {@code --debug}. */
final class Logging {
  private Logging() {}

  static void debug() {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.DEBUG);
    }
  }
}
