package io.kapro.agent.logging;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** One named logger of {@link AgentLogging}; the level is read on every call (cheap). */
final class AgentLogger extends LegacyAbstractLogger {
  private static final long serialVersionUID = 1L;
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

  private final transient AgentLogging backend;
  private final String shortName;

  AgentLogger(String name, AgentLogging backend) {
    this.name = name;
    this.backend = backend;
    this.shortName = name.substring(name.lastIndexOf('.') + 1);
  }

  private boolean enabled(Level level) {
    return level.toInt() >= backend.threshold(name);
  }

  @Override
  public boolean isTraceEnabled() {
    return enabled(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return enabled(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return enabled(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return enabled(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return enabled(Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] args, Throwable throwable) {
    String message = MessageFormatter.basicArrayFormat(pattern, args);
    StringBuilder line = new StringBuilder(128);
    line.append(TIME.format(Instant.now()))
        .append(' ')
        .append(String.format("%-5s", level.name()))
        .append(" [")
        .append(Thread.currentThread().getName())
        .append("] ")
        .append(shortName)
        .append(" cluster=")
        .append(orEmpty(backend.mdc().get("cluster")))
        .append(" bundle.digest=")
        .append(orEmpty(backend.mdc().get("bundle.digest")))
        .append(" - ")
        .append(message)
        .append(System.lineSeparator());
    if (throwable != null) {
      StringWriter trace = new StringWriter();
      throwable.printStackTrace(new PrintWriter(trace));
      line.append(trace);
    }
    PrintStream out = backend.out();
    out.print(line); // one write per event, so lines from different threads do not interleave
    out.flush();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
