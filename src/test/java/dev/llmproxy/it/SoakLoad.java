package dev.llmproxy.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the soak's clients: {@code clients} threads, each drawing scenarios from its own {@link Random}
 * (seeded from the load's seed and the thread's number, so the n-th request of a thread is the same in
 * every run) and playing them one after another, with a short random pause between, until the duration
 * is over. How many requests fit depends on the machine; what each one is does not.
 *
 * <p>Threading: {@link #run} blocks until every client thread has ended; results are collected under
 * this object's monitor.
 */
final class SoakLoad {
  /** Problems kept word for word; beyond these only their count. */
  private static final int KEPT_PROBLEMS = 40;

  private final SoakClient client;
  private final long seed;
  private final int clients;
  private final Map<SoakClient.Ending, Integer> endings = new EnumMap<>(SoakClient.Ending.class);
  private final List<SoakClient.Result> problems = new ArrayList<>();
  private int problemCount;
  private final List<String> stuckThreads = new ArrayList<>();

  SoakLoad(SoakClient client, long seed, int clients) {
    this.client = client;
    this.seed = seed;
    this.clients = clients;
  }

  /** Plays scenarios for {@code duration}; returns once every client ended (or was given up on). */
  SoakLoad run(Duration duration) throws InterruptedException {
    long end = System.nanoTime() + duration.toNanos();
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(clients,
        r -> new Thread(r, "soak-client-" + threadNumber.incrementAndGet()));
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < clients; t++) {
      int thread = t;
      threads.execute(() -> {
        synchronized (started) {
          started.add(Thread.currentThread());
        }
        play(thread, end);
      });
    }
    threads.shutdown();
    // Every request ends within the client's deadline, so the last one started ends within it too.
    if (!threads.awaitTermination(duration.plus(SoakClient.READ_DEADLINE).plusSeconds(30).toMillis(),
        TimeUnit.MILLISECONDS)) {
      synchronized (started) {
        for (Thread t : started) {
          if (t.isAlive()) {
            StringBuilder trace = new StringBuilder(t.getName());
            for (StackTraceElement e : t.getStackTrace()) {
              trace.append("\n    at ").append(e);
            }
            stuckThreads.add(trace.toString());
          }
        }
      }
      threads.shutdownNow();
    }
    return this;
  }

  private void play(int thread, long end) {
    Random random = new Random(seed * 1_000 + thread);
    for (int n = 1; System.nanoTime() - end < 0; n++) {
      SoakScenario scenario = SoakScenario.draw(thread + "-" + n, random);
      record(client.run(scenario));
      try {
        Thread.sleep(random.nextInt(40));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void record(SoakClient.Result result) {
    endings.merge(result.ending(), 1, Integer::sum);
    if (result.isProblem()) {
      problemCount++;
      if (problems.size() < KEPT_PROBLEMS) {
        problems.add(result);
      }
    }
  }

  synchronized int requests() {
    return endings.values().stream().mapToInt(Integer::intValue).sum();
  }

  synchronized int count(SoakClient.Ending ending) {
    return endings.getOrDefault(ending, 0);
  }

  /** The requests that went wrong (the first ones word for word), and client threads that never ended. */
  synchronized String problems() {
    if (problemCount == 0 && stuckThreads.isEmpty()) {
      return "";
    }
    StringBuilder s = new StringBuilder(problemCount + " of " + requests() + " requests went wrong (seed " + seed
        + "):");
    problems.forEach(p -> s.append("\n  ").append(p));
    if (problemCount > problems.size()) {
      s.append("\n  ... and ").append(problemCount - problems.size()).append(" more");
    }
    stuckThreads.forEach(t -> s.append("\n  client thread never ended: ").append(t));
    return s.toString();
  }

  @Override
  public synchronized String toString() {
    return requests() + " requests " + endings;
  }
}
