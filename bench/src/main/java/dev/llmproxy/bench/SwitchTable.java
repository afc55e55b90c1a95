package dev.llmproxy.bench;

import static dev.llmproxy.bench.Percentiles.median;

import dev.llmproxy.bench.CpuMeter.Role;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The report's thread switches per request at c=1: for each leg, how often the upstream's and the proxy's
 * threads went to sleep or were preempted per request (medians over rounds). A request that crosses threads
 * more often draws more often from the machine's wake-up tail (the report's head), which is what the p99 at
 * c=1 is made of on a machine whose idle cores sleep.
 */
record SwitchTable(Results results) {
  void appendTo(StringBuilder md) {
    if (results.latency.isEmpty() || results.latency.get(0).cpuDirect() == null
        || results.latency.get(0).cpuDirect().switchesOf(Role.UPSTREAM) == 0) {
      return; // not run, or not Linux
    }
    md.append("## Thread switches per request at c=1\n\n");
    md.append("Voluntary and preempted switches of all of each process's threads (from /proc) during the measured "
        + "c=1 runs, per request, medians over rounds. Each is a thread put to sleep and another woken.\n\n");
    md.append("| leg | upstream | proxy | both |\n|---|---|---|---|\n");
    for (Target t : Target.values()) {
      if (t != Target.FLOOR && results.latency.get(0).result(t) != null) {
        row(md, t, results.latency, r -> r.cpu(t), r -> r.result(t).requests());
      }
    }
    if (!results.latencyFloor.isEmpty()) {
      row(md, Target.FLOOR, results.latencyFloor, InterleavedRounds.Measured::cpu, m -> m.result().requests());
    }
    md.append('\n');
    md.append("The process in the middle's by kind of thread (Java thread names, numbers as N; the kernel's name "
        + "where the process is not a JVM), per request, medians over rounds; kinds under 0.05 in all left out. "
        + "Voluntary: the thread went to sleep (idle, or waiting on a lock) and had to be woken; preempted: another "
        + "took its core, typically one its own socket write had just woken:\n\n");
    md.append("| leg | kind of thread | voluntary | preempted | both |\n|---|---|---|---|---|\n");
    for (Target t : List.of(Target.GATEWAY, Target.PEER)) {
      if (results.latency.get(0).result(t) != null) {
        kinds(md, t, results.latency, r -> r.cpu(t), r -> r.result(t).requests());
      }
    }
    if (!results.latencyFloor.isEmpty()) {
      kinds(md, Target.FLOOR, results.latencyFloor, InterleavedRounds.Measured::cpu, m -> m.result().requests());
    }
    md.append('\n');
  }

  private <R> void kinds(StringBuilder md, Target leg, List<R> runs, Function<R, CpuMeter.Spent> cpu,
      ToLongFunction<R> requests) {
    Role role = Role.valueOf(leg.name());
    Set<String> kinds = new TreeSet<>();
    runs.forEach(r -> kinds.addAll(cpu.apply(r).switchesByKind(role).keySet()));
    for (String kind : kinds) {
      Function<R, CpuMeter.Switches> of = r -> cpu.apply(r).switchesByKind(role).getOrDefault(kind, CpuMeter.Switches.NONE);
      double voluntary = median(runs, r -> perRequest(of.apply(r).voluntary(), requests.applyAsLong(r)));
      double preempted = median(runs, r -> perRequest(of.apply(r).preempted(), requests.applyAsLong(r)));
      double both = median(runs, r -> perRequest(of.apply(r).total(), requests.applyAsLong(r)));
      if (both >= 0.05) {
        md.append(String.format("| %s | %s | %.2f | %.2f | %.2f |%n", results.legName(leg), kind, voluntary, preempted,
            both));
      }
    }
  }

  private <R> void row(StringBuilder md, Target leg, List<R> runs, Function<R, CpuMeter.Spent> cpu,
      ToLongFunction<R> requests) {
    double upstream = median(runs, r -> perRequest(cpu.apply(r).switchesOf(Role.UPSTREAM), requests.applyAsLong(r)));
    double proxy = median(runs, r -> perRequest(cpu.apply(r).proxySwitches(), requests.applyAsLong(r)));
    // Direct has no proxy: the idle proxies' own timers during its run are not its switches.
    boolean direct = leg == Target.DIRECT;
    md.append(String.format("| %s | %.2f | %s | %.2f |%n", results.legName(leg), upstream,
        direct ? "—" : String.format("%.2f", proxy), direct ? upstream : upstream + proxy));
  }

  private static double perRequest(long switches, long requests) {
    return requests == 0 ? 0 : (double) switches / requests;
  }
}
