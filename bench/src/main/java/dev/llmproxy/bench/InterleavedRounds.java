package dev.llmproxy.bench;

/**
 * Runs a scenario's legs one round at a time, direct, then gateway, then nginx when the peer runs,
 * reading other tenants' CPU and the benchmark's own around each leg; and waits for a quiet machine
 * before a round.
 */
final class InterleavedRounds {
  /** One leg of an interleaved round. */
  @FunctionalInterface
  interface Leg<T> {
    T run(Target target) throws Exception;
  }

  private final Settings s;
  private final CpuMeter cpu;
  private final boolean hasPeer;

  InterleavedRounds(Settings s, CpuMeter cpu, boolean hasPeer) {
    this.s = s;
    this.cpu = cpu;
    this.hasPeer = hasPeer;
  }

  boolean hasPeer() {
    return hasPeer;
  }

  <T> Round<T> run(Leg<T> leg) throws Exception {
    CpuMeter.Reading r0 = cpu.read();
    T direct = leg.run(Target.DIRECT);
    CpuMeter.Reading r1 = cpu.read();
    T gateway = leg.run(Target.GATEWAY);
    CpuMeter.Reading r2 = cpu.read();
    T peer = hasPeer ? leg.run(Target.PEER) : null;
    CpuMeter.Reading r3 = cpu.read();
    return new Round<>(direct, gateway, peer, CpuMeter.foreignCores(r0, r1), CpuMeter.foreignCores(r1, r2),
        hasPeer ? CpuMeter.foreignCores(r2, r3) : 0, CpuMeter.spent(r0, r1), CpuMeter.spent(r1, r2),
        hasPeer ? CpuMeter.spent(r2, r3) : null);
  }

  /** A run outside the interleaved legs, with what the benchmark's processes spent on it. */
  record Measured<T>(T result, CpuMeter.Spent cpu, double foreignCores) {}

  <T> Measured<T> runAlone(Leg<T> leg, Target target) throws Exception {
    CpuMeter.Reading r0 = cpu.read();
    T result = leg.run(target);
    CpuMeter.Reading r1 = cpu.read();
    return new Measured<>(result, CpuMeter.spent(r0, r1), CpuMeter.foreignCores(r0, r1));
  }

  /** Other tenants of a shared machine disturb the numbers: wait (bounded) for a quiet moment. */
  void awaitQuiet() throws InterruptedException {
    double foreign = cpu.awaitQuiet(s.quietCores(), s.quietMaxMillis());
    if (foreign > s.quietCores()) {
      Bench.log(String.format("machine still busy (other processes use %.2f cores); measuring anyway", foreign));
    }
  }
}
