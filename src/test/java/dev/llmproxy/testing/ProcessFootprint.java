package dev.llmproxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * What this JVM holds at one moment, for leak checks that compare a baseline with the state after a load:
 * the heap in use after a full collection, the live threads (by name, so a difference says whose they
 * are), the open file descriptors (by kind, from {@code /proc/self/fd}), and the live instances of chosen
 * classes (HotSpot's class histogram, which counts only reachable objects). Immutable.
 *
 * @param heapBytes heap in use after {@code System.gc()}, the least of a few readings
 * @param threads names of the live threads the filter kept, sorted
 * @param fileDescriptors open descriptors by kind ({@code socket}, {@code pipe}, {@code anon_inode:[eventpoll]},
 *     {@code file}), sorted
 * @param instances live instances per chosen class name (0 when none)
 */
public record ProcessFootprint(long heapBytes, List<String> threads, Map<String, Integer> fileDescriptors,
    Map<String, Long> instances) {
  private static final Path FD_DIR = Path.of("/proc/self/fd");

  public ProcessFootprint {
    threads = List.copyOf(threads);
    fileDescriptors = Map.copyOf(fileDescriptors);
    instances = Map.copyOf(instances);
  }

  /**
   * Measures now: threads whose name {@code threadFilter} accepts, and live instances of {@code classNames}
   * (fully qualified; every class loader's copy of a class counts).
   */
  public static ProcessFootprint measure(Predicate<String> threadFilter, Collection<String> classNames) {
    Map<String, Long> instances = liveInstances(classNames);
    return new ProcessFootprint(usedHeapAfterGc(), threadNames(threadFilter), openFileDescriptors(), instances);
  }

  /** The total of {@link #fileDescriptors}. */
  public int fileDescriptorCount() {
    return fileDescriptors.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Heap in use after a full collection: the least of four readings, since a collection may run late. */
  public static long usedHeapAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** Names of the live threads {@code filter} keeps, sorted. */
  public static List<String> threadNames(Predicate<String> filter) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).filter(filter)
        .sorted().toList();
  }

  /** This process's open file descriptors by kind. */
  public static Map<String, Integer> openFileDescriptors() {
    Map<String, Integer> byKind = new TreeMap<>();
    try (Stream<Path> fds = Files.list(FD_DIR)) {
      for (Path fd : fds.toList()) {
        byKind.merge(kindOf(fd), 1, Integer::sum);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return byKind;
  }

  private static String kindOf(Path fd) {
    String target;
    try {
      target = Files.readSymbolicLink(fd).toString();
    } catch (IOException closedMeanwhile) {
      return "closed while listed"; // the listing's own descriptor, for one
    }
    if (target.startsWith("socket:")) {
      return "socket";
    }
    if (target.startsWith("pipe:")) {
      return "pipe";
    }
    if (target.startsWith("anon_inode:")) {
      return target;
    }
    return "file";
  }

  /**
   * Live instances of each class, from HotSpot's {@code GC.class_histogram} (which collects first). A class
   * loaded by several loaders (a webapp deployed twice in one JVM) is counted over all of them.
   */
  public static Map<String, Long> liveInstances(Collection<String> classNames) {
    String histogram;
    try {
      histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {null}, new String[] {String[].class.getName()});
    } catch (JMException e) {
      throw new IllegalStateException("this JVM offers no class histogram", e);
    }
    Map<String, Long> counts = new TreeMap<>();
    classNames.forEach(name -> counts.put(name, 0L));
    // Lines read "   12:     345     6789  dev.llmproxy.relay.ProxyExchange (module)" or without a module.
    for (String line : histogram.split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length >= 4 && fields[0].endsWith(":") && counts.containsKey(fields[3])) {
        counts.merge(fields[3], Long.parseLong(fields[1]), Long::sum);
      }
    }
    return counts;
  }
}
