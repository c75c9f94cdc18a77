package io.kapro.agent.logging;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The agent's SLF4J backend (issue 22): one line per event on standard output, in the format the
 * agent logged with logback before ({@code time level [thread] logger cluster=… bundle.digest=… -
 * message}, the two MDC keys included, which {@code ApplyLog} and operators read), with {@code
 * io.kapro} at {@code KAPRO_LOG_LEVEL} (default INFO) and everything else at WARN. It replaces
 * logback (about 500 classes) with three; slf4j-simple was not taken because it cannot print MDC
 * values.
 */
public final class AgentLogging implements SLF4JServiceProvider, ILoggerFactory {
  /** The environment variable naming the level of the agent's own ({@code io.kapro}) loggers. */
  public static final String LEVEL_ENV = "KAPRO_LOG_LEVEL";

  private final Map<String, AgentLogger> loggers = new ConcurrentHashMap<>();
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new BasicMDCAdapter();
  private volatile int kaproLevel = Level.INFO.toInt();
  private volatile PrintStream out = System.out;

  @Override
  public void initialize() {
    kaproLevel = levelFrom(System.getenv(LEVEL_ENV), System.err);
  }

  /**
   * The io.kapro threshold for the value of {@link #LEVEL_ENV}; a value that names no level is
   * reported on {@code err} (naming the variable and the accepted values) and INFO is used, so a
   * typo does not silence the agent.
   */
  static int levelFrom(String raw, PrintStream err) {
    Integer level = parse(raw);
    if (level == null) {
      err.println(
          "kapro-agent: "
              + LEVEL_ENV
              + "='"
              + raw
              + "' is not a log level; use one of TRACE, DEBUG, INFO, WARN, ERROR, OFF (INFO is"
              + " used)");
      return Level.INFO.toInt();
    }
    return level;
  }

  /**
   * The threshold for {@code value} ({@code null} or blank: INFO); {@code null} when it names no
   * level. {@code OFF} is above ERROR.
   */
  static Integer parse(String value) {
    if (value == null || value.isBlank()) {
      return Level.INFO.toInt();
    }
    String v = value.trim().toUpperCase(Locale.ROOT);
    if (v.equals("OFF")) {
      return Level.ERROR.toInt() + 10;
    }
    for (Level l : Level.values()) {
      if (l.name().equals(v)) {
        return l.toInt();
      }
    }
    return null;
  }

  /** The threshold of {@code name}: io.kapro and below at KAPRO_LOG_LEVEL, others at WARN. */
  int threshold(String name) {
    return name.equals("io.kapro") || name.startsWith("io.kapro.")
        ? kaproLevel
        : Level.WARN.toInt();
  }

  /** For tests: the threshold of io.kapro loggers and the stream lines go to. */
  void configure(int kaproLevel, PrintStream out) {
    this.kaproLevel = kaproLevel;
    this.out = out;
  }

  PrintStream out() {
    return out;
  }

  MDCAdapter mdc() {
    return mdc;
  }

  @Override
  public Logger getLogger(String name) {
    return loggers.computeIfAbsent(name, n -> new AgentLogger(n, this));
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return this;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }
}
