package io.kapro.e2e.invariant;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * Every bundle the agents in this process applied, in the order they applied them: the agent's pull
 * loop logs {@code applied bundle <digest> (sequence <n>, ...)} right after its patches landed and
 * before it reports Applied, with the cluster in the MDC. This appender keeps those events (their
 * arguments, not the text). Agents in their own process write the same line to their log file:
 * {@link #readProcessLog} parses it from there.
 */
public final class ApplyLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  /** The logger of {@code io.kapro.agent.bundle.PullLoop}. */
  static final String PULL_LOOP = "io.kapro.agent.bundle.PullLoop";

  private static final Pattern LINE =
      Pattern.compile(
          "^(\\S+) .*cluster=(\\S+) .* - applied bundle (sha256:[0-9a-f]{64}) \\(sequence (\\d+),");

  /**
   * One apply as the agent logged it.
   *
   * @param cluster {@code namespace/name}
   */
  public record Entry(String cluster, long sequence, String digest, Instant at) {
    /** The cluster's name without its namespace. */
    public String clusterName() {
      return cluster.substring(cluster.indexOf('/') + 1);
    }
  }

  private final List<Entry> entries = new ArrayList<>();
  private final Logger logger;
  private final Level previous;

  private ApplyLog() {
    logger = (Logger) LoggerFactory.getLogger(PULL_LOOP);
    previous = logger.getLevel();
    if (!logger.isInfoEnabled()) {
      logger.setLevel(Level.INFO);
    }
    setName("kapro-apply-log");
    setContext(logger.getLoggerContext());
  }

  /** Starts recording applies of every agent in this process. */
  public static ApplyLog attach() {
    ApplyLog log = new ApplyLog();
    log.start();
    log.logger.addAppender(log);
    return log;
  }

  @Override
  protected void append(ILoggingEvent e) {
    Object[] args = e.getArgumentArray();
    if (e.getMessage() == null
        || !e.getMessage().startsWith("applied bundle ")
        || args == null
        || args.length < 2) {
      return;
    }
    String cluster = e.getMDCPropertyMap().getOrDefault("cluster", "?");
    Entry entry =
        new Entry(
            cluster,
            ((Number) args[1]).longValue(),
            String.valueOf(args[0]),
            Instant.ofEpochMilli(e.getTimeStamp()));
    synchronized (entries) {
      entries.add(entry);
    }
  }

  /** Adds the applies an agent process wrote to {@code logFile} (its console log). */
  public void readProcessLog(Path logFile) {
    List<String> lines;
    try {
      lines = Files.exists(logFile) ? Files.readAllLines(logFile) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the agent log " + logFile, e);
    }
    List<Entry> parsed = new ArrayList<>();
    for (String line : lines) {
      Matcher m = LINE.matcher(line);
      if (m.find()) {
        parsed.add(
            new Entry(
                m.group(2), Long.parseLong(m.group(4)), m.group(3), Instant.parse(m.group(1))));
      }
    }
    synchronized (entries) {
      entries.addAll(parsed);
      entries.sort(java.util.Comparator.comparing(Entry::at));
    }
  }

  /** Every apply so far, in order. */
  public List<Entry> entries() {
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }

  @Override
  public void close() {
    logger.detachAppender(this);
    logger.setLevel(previous);
    stop();
  }
}
