package dev.llmproxy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Tells how much CPU other tenants of the machine use, so a run that was disturbed can be seen (and
 * mostly avoided): user+system time of the whole machine from {@code /proc/stat}, minus that of the
 * benchmark's own processes (this JVM with its waited-for children such as wrk, the gateway, the
 * upstream, and the nginx peer with its workers). Linux only; elsewhere it reports zero.
 */
final class CpuMeter {
  /** A reading: machine busy jiffies and the benchmark's own jiffies. */
  record Reading(long nanos, long machine, long ours) {}

  private static final double HZ = 100.0;
  private final List<ProcessHandle> processes;

  /** Counts {@code processes} and their descendants (nginx's workers) as the benchmark's own. */
  CpuMeter(List<ProcessHandle> processes) {
    this.processes = List.copyOf(processes);
  }

  Reading read() {
    long machine = 0;
    long ours = 0;
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      machine = Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]) + Long.parseLong(cpu[3]);
      ours = processTime("self", true);
      for (ProcessHandle p : processes) {
        ours += processTime(Long.toString(p.pid()), false);
        for (ProcessHandle child : p.descendants().toList()) {
          ours += processTime(Long.toString(child.pid()), false);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or a process is gone: report no foreign load rather than fail the benchmark.
      return new Reading(System.nanoTime(), 0, 0);
    }
    return new Reading(System.nanoTime(), machine, ours);
  }

  /** Cores' worth of CPU used by other processes between two readings (0.5 = half a core). */
  static double foreignCores(Reading a, Reading b) {
    double seconds = (b.nanos() - a.nanos()) / 1e9;
    if (seconds <= 0 || a.machine() == 0) {
      return 0;
    }
    return Math.max(0, ((b.machine() - a.machine()) - (b.ours() - a.ours())) / HZ / seconds);
  }

  /**
   * Waits (at most {@code maxMillis}) until other processes have used less than {@code cores} over a
   * 300 ms window; returns the last window's foreign load.
   */
  double awaitQuiet(double cores, long maxMillis) throws InterruptedException {
    long deadline = System.nanoTime() + maxMillis * 1_000_000L;
    double foreign;
    do {
      Reading a = read();
      Thread.sleep(300);
      foreign = foreignCores(a, read());
    } while (foreign > cores && System.nanoTime() < deadline);
    return foreign;
  }

  private static long processTime(String pid, boolean withChildren) throws IOException {
    String stat = Files.readString(Path.of("/proc", pid, "stat"));
    // Fields after the command name, which may contain spaces, start after the last ')'.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    if (withChildren) {
      t += Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }
    return t;
  }
}
