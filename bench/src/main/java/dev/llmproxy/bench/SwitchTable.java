package dev.llmproxy.bench;

import static dev.llmproxy.bench.Percentiles.median;

import dev.llmproxy.bench.CpuMeter.Role;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

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
    Map<Target, List<Run>> legs = legs();
    md.append("| leg | upstream | proxy | both |\n|---|---|---|---|\n");
    legs.forEach((leg, runs) -> row(md, leg, runs));
    md.append('\n');
    md.append("The process in the middle's by kind of thread (Java thread names, numbers as N; the kernel's name "
        + "where the process is not a JVM), per request, medians over rounds; kinds under 0.05 in all left out. "
        + "Voluntary: the thread went to sleep (idle, or waiting on a lock) and had to be woken; preempted: another "
        + "took its core, typically one its own socket write had just woken:\n\n");
    md.append("| leg | kind of thread | voluntary | preempted | both |\n|---|---|---|---|---|\n");
    legs.forEach((leg, runs) -> {
      if (leg != Target.DIRECT) {
        kinds(md, leg, runs);
      }
    });
    md.append('\n');
  }

  /** One measured c=1 run of a leg: what the processes spent on it, and the requests it served. */
  private record Run(CpuMeter.Spent cpu, long requests) {
    double perRequest(long switches) {
      return SwitchTable.perRequest(switches, requests);
    }
  }

  /** The c=1 runs of every leg that ran, in the order of {@link Target}. */
  private Map<Target, List<Run>> legs() {
    Map<Target, List<Run>> legs = new EnumMap<>(Target.class);
    for (Target t : List.of(Target.DIRECT, Target.GATEWAY, Target.PEER)) {
      if (results.latency.get(0).result(t) != null) {
        legs.put(t, results.latency.stream().map(r -> new Run(r.cpu(t), r.result(t).requests())).toList());
      }
    }
    if (!results.latencyFloor.isEmpty()) {
      legs.put(Target.FLOOR, results.latencyFloor.stream().map(m -> new Run(m.cpu(), m.result().requests())).toList());
    }
    return legs;
  }

  private void kinds(StringBuilder md, Target leg, List<Run> runs) {
    Role role = Role.valueOf(leg.name());
    Set<String> kinds = new TreeSet<>();
    runs.forEach(r -> kinds.addAll(r.cpu().kindsOf(role).keySet()));
    for (String kind : kinds) {
      Function<Run, CpuMeter.Switches> of = r -> r.cpu().kindsOf(role).getOrDefault(kind, CpuMeter.Switches.NONE);
      double voluntary = median(runs, r -> r.perRequest(of.apply(r).voluntary()));
      double preempted = median(runs, r -> r.perRequest(of.apply(r).preempted()));
      double both = median(runs, r -> r.perRequest(of.apply(r).total()));
      if (both >= 0.05) {
        md.append(String.format("| %s | %s | %.2f | %.2f | %.2f |%n", results.legName(leg), kind, voluntary, preempted,
            both));
      }
    }
  }

  private void row(StringBuilder md, Target leg, List<Run> runs) {
    double upstream = median(runs, r -> r.perRequest(r.cpu().switchesOf(Role.UPSTREAM)));
    double proxy = median(runs, r -> r.perRequest(r.cpu().proxySwitches()));
    // Direct has no proxy: the idle proxies' own timers during its run are not its switches.
    boolean direct = leg == Target.DIRECT;
    md.append(String.format("| %s | %.2f | %s | %.2f |%n", results.legName(leg), upstream,
        direct ? "—" : String.format("%.2f", proxy), direct ? upstream : upstream + proxy));
  }

  private static double perRequest(long switches, long requests) {
    return requests == 0 ? 0 : (double) switches / requests;
  }
}
