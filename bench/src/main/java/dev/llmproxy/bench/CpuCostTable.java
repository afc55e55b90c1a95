package dev.llmproxy.bench;

import static dev.llmproxy.bench.Percentiles.median;

import dev.llmproxy.bench.CpuMeter.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The report's "Where the CPU goes" section: for the two CPU-bound scenarios (saturation, and the large
 * stream read by curl) the CPU each process spent per unit of work, medians over rounds, and what the
 * targets leave the gateway to spend. When client, upstream and proxy share the cores, the rate through
 * a proxy can be at most (direct's CPU per unit) / (the proxied leg's CPU per unit) of direct's; the
 * costs show which process a missed target is in, and they drift less between runs than the rates.
 */
record CpuCostTable(Settings s, Results results) {
  private static final double GIB_IN_MIB = 1024.0;

  /** Median CPU per unit of work, by role, of one leg. */
  private record LegCost(Target target, double[] byRole) {
    double of(Role role) {
      return byRole[role.ordinal()];
    }

    double total() {
      double sum = 0;
      for (double v : byRole) {
        sum += v;
      }
      return sum;
    }

    /** What the process in the middle spent: the gateway, nginx or the container floor. */
    double proxy() {
      return Role.PROXIES.stream().mapToDouble(this::of).sum();
    }
  }

  void appendTo(StringBuilder md) {
    List<String> lines = new ArrayList<>();
    StringBuilder rows = new StringBuilder();
    if (measured(results.saturation)) {
      List<LegCost> legs = costs(results.saturation, r -> r.requests() / 1e6);
      if (!results.saturationFloor.isEmpty()) {
        legs.add(legCost(Target.FLOOR, results.saturationFloor, InterleavedRounds.Measured::cpu,
            m -> m.result().requests() / 1e6));
      }
      rowsFor(rows, "saturation: µs per request", legs, "%.1f");
      lines.add(budget("Saturation", legs, 0.5, "%.1f µs per request"));
      if (!results.saturationFloor.isEmpty()) {
        double floor = legs.get(legs.size() - 1).proxy();
        double gateway = legs.stream().filter(l -> l.target() == Target.GATEWAY).findFirst().orElseThrow().proxy();
        lines.add(String.format("Container floor: the gateway's container with a servlet that only reads the body, "
            + "hands over to another thread and writes the upstream's JSON (no key check, routing or upstream call) "
            + "spends %.1f µs per request on its own. **The gateway spends %.2f× the floor** (%.1f µs; goal ≤ 1.3×: "
            + "%s).%s", floor, gateway / floor, gateway, gateway / floor <= 1.3 ? "met" : "not met",
            thirdLegAgainstFloor(legs, floor)));
      }
    }
    if (measured(results.bigRaw)) {
      List<LegCost> legs = costs(results.bigRaw, mibPerSecond -> s.bigMiB() / GIB_IN_MIB);
      rowsFor(rows, s.bigMiB() + " MiB stream, curl: CPU s per GiB", legs, "%.2f");
      lines.add(budget("Large stream", legs, 0.5, "%.2f CPU s per GiB"));
    }
    if (rows.length() == 0) {
      return;
    }
    md.append("## Where the CPU goes\n\n");
    md.append("CPU time each process spent on the measured runs (user + system from /proc, 10 ms ticks), per unit "
        + "of work, medians over rounds. Load generator: wrk or curl with the driver JVM; proxy: the gateway, the third leg "
        + "or the container floor.\n\n");
    md.append("| run | leg | load generator | upstream | proxy | total |\n|---|---|---|---|---|---|\n");
    md.append(rows).append('\n');
    lines.forEach(l -> md.append("- ").append(l).append('\n'));
    md.append('\n');
  }

  /** The third leg's CPU per request against the same floor, when one ran (the blocking proxy's is the bound). */
  private String thirdLegAgainstFloor(List<LegCost> legs, double floor) {
    return legs.stream().filter(l -> l.target() == Target.PEER).findFirst()
        .map(peer -> String.format(" The third leg, %s, spends %.2f× the floor (%.1f µs).", results.thirdLegName(),
            peer.proxy() / floor, peer.proxy()))
        .orElse("");
  }

  /** True when the rounds ran and the CPU could be read (Linux). */
  private static boolean measured(List<? extends Round<?>> rounds) {
    return !rounds.isEmpty() && rounds.get(0).cpuDirect() != null
        && rounds.get(0).cpuDirect().of(Role.LOAD) + rounds.get(0).cpuDirect().of(Role.UPSTREAM) > 0;
  }

  /** Every leg that ran, its CPU per unit; {@code units} = units of work in a leg's run (requests in millions, GiB). */
  private static <T> List<LegCost> costs(List<Round<T>> rounds, ToDoubleFunction<T> units) {
    List<LegCost> legs = new ArrayList<>();
    for (Target t : Target.values()) {
      if (rounds.get(0).result(t) != null) {
        legs.add(legCost(t, rounds, r -> r.cpu(t), r -> units.applyAsDouble(r.result(t))));
      }
    }
    return legs;
  }

  /** Median over {@code runs} of each role's CPU per unit of work. */
  private static <R> LegCost legCost(Target target, List<R> runs, Function<R, CpuMeter.Spent> cpu,
      ToDoubleFunction<R> units) {
    double[] byRole = new double[Role.values().length];
    for (Role role : Role.values()) {
      byRole[role.ordinal()] = median(runs, r -> cpu.apply(r).of(role) / units.applyAsDouble(r));
    }
    return new LegCost(target, byRole);
  }

  private void rowsFor(StringBuilder md, String run, List<LegCost> legs, String format) {
    for (LegCost leg : legs) {
      md.append("| ").append(leg == legs.get(0) ? run : "").append(" | ").append(results.legName(leg.target()))
          .append(" | ")
          .append(String.format(format, leg.of(Role.LOAD))).append(" | ")
          .append(String.format(format, leg.of(Role.UPSTREAM))).append(" | ")
          .append(leg.target() == Target.DIRECT ? "—" : String.format(format, leg.proxy())).append(" | ")
          .append(String.format(format, leg.total())).append(" |\n");
    }
  }

  /**
   * What a target leaves the gateway: the proxied leg may cost at most direct's total / target, of which
   * the load generator and the upstream take their share on that leg.
   */
  private static String budget(String run, List<LegCost> legs, double target, String unit) {
    LegCost direct = legs.get(0);
    LegCost gateway = legs.stream().filter(l -> l.target() == Target.GATEWAY).findFirst().orElseThrow();
    double legAllowed = direct.total() / target;
    double others = gateway.of(Role.LOAD) + gateway.of(Role.UPSTREAM);
    String ceiling = String.format("%s: at these costs, with both legs keeping the shared cores busy, the gateway leg "
        + "runs at most %.0f%% of direct's rate. ", run, 100 * direct.total() / gateway.total());
    if (legAllowed <= others) {
      return ceiling + String.format("The target (%.0f%%) allows the gateway leg " + unit + " in all, but the load "
          + "generator and the upstream alone spend " + unit + " on it: no proxy, even one that cost nothing, "
          + "could meet it here; the gateway spends " + unit + ".", target * 100, legAllowed, others, gateway.proxy());
    }
    return ceiling + String.format("The target (%.0f%%) leaves the gateway " + unit + "; it spends " + unit + ".",
        target * 100, legAllowed - others, gateway.proxy());
  }
}
