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
    return run(null, leg);
  }

  /**
   * A round whose legs each first run {@code settle} unmeasured. A JVM that sat idle while the other legs ran
   * has had compiled code of the path thrown away (HotSpot's code cache sweeper discards methods that went
   * cold) and recompiles it during its next run: the first seconds of a gateway's leg then measured the JIT,
   * not the gateway (CPU per request 20-40% above steady state, more for the build with more code loaded).
   */
  <T> Round<T> run(Leg<?> settle, Leg<T> leg) throws Exception {
    Measured<T> direct = runAlone(settle, leg, Target.DIRECT);
    Measured<T> gateway = runAlone(settle, leg, Target.GATEWAY);
    Measured<T> peer = hasPeer ? runAlone(settle, leg, Target.PEER) : null;
    return new Round<>(direct.result(), gateway.result(), peer == null ? null : peer.result(), direct.foreignCores(),
        gateway.foreignCores(), peer == null ? 0 : peer.foreignCores(), direct.cpu(), gateway.cpu(),
        peer == null ? null : peer.cpu());
  }

  /** A run outside the interleaved legs, with what the benchmark's processes spent on it. */
  record Measured<T>(T result, CpuMeter.Spent cpu, double foreignCores) {}

  <T> Measured<T> runAlone(Leg<T> leg, Target target) throws Exception {
    return runAlone(null, leg, target);
  }

  /** {@link #runAlone(Leg, Target)} after an unmeasured run of {@code settle} (may be null) on the same target. */
  <T> Measured<T> runAlone(Leg<?> settle, Leg<T> leg, Target target) throws Exception {
    if (settle != null) {
      settle.run(target);
    }
    CpuMeter.Reading r0 = cpu.read();
    T result = leg.run(target);
    CpuMeter.Reading r1 = cpu.read();
    return new Measured<>(result, cpu.spent(r0, r1), CpuMeter.foreignCores(r0, r1));
  }

  /** Other tenants of a shared machine disturb the numbers: wait (bounded) for a quiet moment. */
  void awaitQuiet() throws InterruptedException {
    double foreign = cpu.awaitQuiet(s.quietCores(), s.quietMaxMillis());
    if (foreign > s.quietCores()) {
      Bench.log(String.format("machine still busy (other processes use %.2f cores); measuring anyway", foreign));
    }
  }
}
