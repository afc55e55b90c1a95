package dev.llmproxy.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads CPU time from {@code /proc}: the whole machine's, and each of the benchmark's own processes'
 * by {@link Role}. Two uses: how much other tenants of the machine use, so a disturbed run can be seen
 * (and mostly avoided), and what each process spent on a run, so the report can say where the time
 * goes (CPU per request or per GiB is steadier on a shared machine than the rate itself). Linux only;
 * elsewhere it reports zero. Resolution is the kernel's clock tick (10 ms).
 *
 * <p>It also counts each server role's thread switches (voluntary and preempted, over all its threads): how often
 * a request puts a thread to sleep and wakes another, which is what the tails at c=1 are made of. The load role's
 * are not counted (wrk and curl are short-lived children). The process in the middle's are also split by kind of
 * thread ({@link ThreadKinds}): the container's poller and workers, HttpClient's reactor.
 */
final class CpuMeter {
  /** Who spends the CPU. */
  enum Role {
    /** This JVM with its waited-for children (wrk, curl): the load generator and the SSE client. */
    LOAD,
    UPSTREAM,
    GATEWAY,
    /** The nginx master and its workers, or the second gateway (with its redis-server, if any). */
    PEER,
    /** {@link ContainerFloor}: the gateway's container with a servlet that answers itself. */
    FLOOR;

    /** The processes in the middle of a leg: the gateway, the third leg and the container floor. */
    static final List<Role> PROXIES = List.of(GATEWAY, PEER, FLOOR);

    boolean isProxy() {
      return PROXIES.contains(this);
    }
  }

  /** One thread of a process in the middle ({@link Role#isProxy()}). */
  record ProxyThread(Role role, long pid, long tid) {}

  /**
   * A reading: machine busy ticks, each role's ticks and each role's thread switches, and the switches of each
   * thread of the processes in the middle.
   */
  record Reading(long nanos, long machine, long[] byRole, long[] switchesByRole,
      Map<ProxyThread, Switches> proxyThreads) {
    long ours() {
      long sum = 0;
      for (long t : byRole) {
        sum += t;
      }
      return sum;
    }
  }

  /**
   * CPU seconds each role spent between two readings, how many times its threads switched, and the processes in
   * the middle's switches by kind of thread ({@code http-nio-N.N.N.N-N-Poller}), by role.
   */
  record Spent(double[] byRole, long[] switchesByRole, Map<Role, Map<String, Switches>> proxyKinds) {
    double of(Role role) {
      return byRole[role.ordinal()];
    }

    long switchesOf(Role role) {
      return switchesByRole[role.ordinal()];
    }

    /** The switches of one process in the middle by kind of thread ({@link ThreadKinds}), sorted by kind. */
    Map<String, Switches> kindsOf(Role proxy) {
      return proxyKinds.getOrDefault(proxy, Map.of());
    }

    /** What the process in the middle switched ({@link Role#PROXIES}); only one of them runs in a leg. */
    long proxySwitches() {
      return Role.PROXIES.stream().mapToLong(this::switchesOf).sum();
    }
  }

  /** A thread's (or a kind of threads') switches: it went to sleep ({@code voluntary}) or was preempted. */
  record Switches(long voluntary, long preempted) {
    static final Switches NONE = new Switches(0, 0);

    long total() {
      return voluntary + preempted;
    }

    Switches plus(Switches other) {
      return new Switches(voluntary + other.voluntary, preempted + other.preempted);
    }

    /** Since {@code earlier}; threads that ended between the two take their counts along: never below zero. */
    Switches since(Switches earlier) {
      return new Switches(Math.max(0, voluntary - earlier.voluntary), Math.max(0, preempted - earlier.preempted));
    }
  }

  private static final double HZ = 100.0;
  private final Map<Role, List<ProcessHandle>> processes;
  private final ThreadKinds threadKinds = new ThreadKinds();

  /** {@code processes}: the server processes by role; their descendants (nginx's workers) count as theirs. */
  CpuMeter(Map<Role, List<ProcessHandle>> processes) {
    this.processes = new EnumMap<>(processes);
  }

  /** A reading with every role's thread switches: for the two ends of a measured run. */
  Reading read() {
    return read(true);
  }

  /** {@code withSwitches} false: no thread's status is read (the quiet-moment check runs every 300 ms). */
  private Reading read(boolean withSwitches) {
    long machine = 0;
    long[] byRole = new long[Role.values().length];
    long[] switches = new long[Role.values().length];
    Map<ProxyThread, Switches> proxyThreads = new HashMap<>();
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      machine = Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]) + Long.parseLong(cpu[3]);
      byRole[Role.LOAD.ordinal()] = processTime("self", true);
      for (Map.Entry<Role, List<ProcessHandle>> e : processes.entrySet()) {
        long t = 0;
        long n = 0;
        for (ProcessHandle p : e.getValue()) {
          for (ProcessHandle q : Stream.concat(Stream.of(p), p.descendants()).toList()) {
            t += processTime(Long.toString(q.pid()), false);
            if (withSwitches) {
              for (Map.Entry<Long, Switches> thread : threadSwitches(q.pid()).entrySet()) {
                n += thread.getValue().total();
                if (e.getKey().isProxy()) {
                  proxyThreads.put(new ProxyThread(e.getKey(), q.pid(), thread.getKey()), thread.getValue());
                }
              }
            }
          }
        }
        byRole[e.getKey().ordinal()] = t;
        switches[e.getKey().ordinal()] = n;
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or a process is gone: report nothing rather than fail the benchmark.
      return new Reading(System.nanoTime(), 0, new long[Role.values().length], new long[Role.values().length],
          Map.of());
    }
    return new Reading(System.nanoTime(), machine, byRole, switches, proxyThreads);
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
   * What each role spent between two readings. Call it after the second: naming a thread it has not seen before
   * may run {@code jcmd} ({@link ThreadKinds}), whose CPU must not land inside a measured interval.
   */
  Spent spent(Reading a, Reading b) {
    double[] seconds = new double[Role.values().length];
    long[] switches = new long[Role.values().length];
    for (int i = 0; i < seconds.length; i++) {
      seconds[i] = Math.max(0, b.byRole()[i] - a.byRole()[i]) / HZ;
      // A thread that ended between the readings takes its count with it: never below zero.
      switches[i] = Math.max(0, b.switchesByRole()[i] - a.switchesByRole()[i]);
    }
    Map<Role, Map<String, Switches>> byKind = new EnumMap<>(Role.class);
    try {
      for (Map.Entry<ProxyThread, Switches> e : b.proxyThreads().entrySet()) {
        ProxyThread t = e.getKey();
        // A thread that started between the readings counts from zero; one that ended is missing from b.
        Switches during = e.getValue().since(a.proxyThreads().getOrDefault(t, Switches.NONE));
        byKind.computeIfAbsent(t.role(), r -> new TreeMap<>())
            .merge(threadKinds.kindOf(t.pid(), t.tid()), during, Switches::plus);
      }
    } catch (IOException | RuntimeException e) {
      byKind.clear(); // jcmd failed: no split rather than a wrong one
    }
    return new Spent(seconds, switches, byKind);
  }

  /**
   * Waits (at most {@code maxMillis}) until other processes have used less than {@code cores} over a
   * 300 ms window; returns the last window's foreign load.
   */
  double awaitQuiet(double cores, long maxMillis) throws InterruptedException {
    long deadline = System.nanoTime() + maxMillis * 1_000_000L;
    double foreign;
    do {
      Reading a = read(false);
      Thread.sleep(300);
      foreign = foreignCores(a, read(false));
    } while (foreign > cores && System.nanoTime() < deadline);
    return foreign;
  }

  /** Voluntary and preempted switches of each of a process's threads so far, by thread id (one that just ended: 0). */
  private static Map<Long, Switches> threadSwitches(long pid) throws IOException {
    Map<Long, Switches> byThread = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        try {
          long voluntary = 0;
          long preempted = 0;
          for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
              voluntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
              preempted = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
          byThread.put(Long.parseLong(task.getFileName().toString()), new Switches(voluntary, preempted));
        } catch (NoSuchFileException threadEnded) {
          // ended while listed
        }
      }
    }
    return byThread;
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
