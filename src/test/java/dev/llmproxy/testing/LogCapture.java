package dev.llmproxy.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures what the gateway logs (SLF4J goes to java.util.logging, which is JVM-wide), formatted as an
 * operator would read it, at every level. AutoCloseable: detaches itself.
 */
public final class LogCapture extends Handler implements AutoCloseable {
  private final Logger logger = Logger.getLogger("dev.llmproxy");
  private final Logger root = Logger.getLogger("");
  private final boolean quiet;
  private final Level previous;
  private final boolean previousUseParent;
  private final Level kept;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Map<Level, LongAdder> counts = new ConcurrentHashMap<>();
  private final SimpleFormatter formatter = new SimpleFormatter();

  public LogCapture() {
    this(Level.ALL, false);
  }

  private LogCapture(Level kept, boolean quiet) {
    this.kept = kept;
    this.quiet = quiet;
    previous = logger.getLevel();
    previousUseParent = logger.getUseParentHandlers();
    if (quiet) {
      // The gateway's lines reach this handler only, not the console; every other logger's through the root.
      logger.setUseParentHandlers(false);
      root.addHandler(this);
    } else {
      logger.setLevel(Level.ALL);
    }
    setLevel(Level.ALL);
    logger.addHandler(this);
  }

  /**
   * For load tests: counts what every logger writes at the levels already enabled, keeps the lines at
   * {@code kept} and above, and keeps the gateway's own lines (thousands of expected warnings) off the console.
   */
  public static LogCapture quiet(Level kept) {
    return new LogCapture(kept, true);
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** How many records of exactly {@code level} were published. */
  public long count(Level level) {
    LongAdder n = counts.get(level);
    return n == null ? 0 : n.sum();
  }

  @Override
  public void publish(LogRecord record) {
    counts.computeIfAbsent(record.getLevel(), l -> new LongAdder()).increment();
    if (record.getLevel().intValue() >= kept.intValue()) {
      lines.add(formatter.format(record));
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    if (quiet) {
      root.removeHandler(this);
      logger.setUseParentHandlers(previousUseParent);
    } else {
      logger.setLevel(previous);
    }
  }
}
