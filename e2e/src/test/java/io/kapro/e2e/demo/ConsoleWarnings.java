package io.kapro.e2e.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What the demo would print on stderr: every event at WARN or above, from any logger, while it is
 * attached (the demo's own logback configuration sends exactly those to the console).
 */
final class ConsoleWarnings extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final List<String> lines = new ArrayList<>();

  static ConsoleWarnings attach() {
    ConsoleWarnings w = new ConsoleWarnings();
    w.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    w.setName("console-warnings");
    w.start();
    root().addAppender(w);
    return w;
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @Override
  protected synchronized void append(ILoggingEvent e) {
    if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
      String thrown =
          e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getClassName();
      lines.add(e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage() + thrown);
    }
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    root().detachAppender(this);
    stop();
  }
}
