package dev.llmproxy.state;

import static dev.llmproxy.state.SharedStateFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.testing.RedisProcess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Management writes handed between instances through Redis: newest version wins, nothing echoes back. */
class RedisConfigSyncTest {
  /** The contract: a write is applied on every instance within 5 s. */
  private static final Duration WITHIN = Duration.ofSeconds(5);
  /** Connecting and reconnecting take what the machine gives them (seconds, on a loaded CI box). */
  private static final Duration CONNECTING = Duration.ofSeconds(30);

  @Test
  void aWriteReachesTheOtherInstancesButNotItsWriterAndAnInstanceStartingLaterKeepsItsOwnFile() throws Exception {
    try (RedisProcess redis = RedisProcess.start(); SharedStateFixture fleet = new SharedStateFixture(redis, "c:")) {
      List<String> onA = new CopyOnWriteArrayList<>();
      List<String> onB = new CopyOnWriteArrayList<>();
      SharedState a = fleet.instance();
      SharedState b = fleet.instance();
      a.adoptConfigWith(onA::add);
      b.adoptConfigWith(onB::add);
      fleet.awaitUp(CONNECTING);

      a.configWrites().accept("debug: true\n");
      await(WITHIN, () -> onB.size() == 1, "B adopts A's write");
      b.configWrites().accept("debug: false\n");
      await(WITHIN, () -> onA.size() == 1, "A adopts B's write");

      List<String> onLate = new CopyOnWriteArrayList<>();
      SharedState late = fleet.instance();
      late.adoptConfigWith(onLate::add);
      fleet.awaitUp(CONNECTING);
      a.configWrites().accept("debug: true\nrequest-retry: 1\n");
      await(WITHIN, () -> onLate.size() == 1 && onB.size() == 2, "a later write reaches everyone");

      assertEquals(List.of("debug: true\n", "debug: true\nrequest-retry: 1\n"), onB);
      assertEquals(List.of("debug: false\n"), onA);
      assertEquals(List.of("debug: true\nrequest-retry: 1\n"), onLate, "the write before it started is not adopted");
    }
  }

  @Test
  void aWriteMadeWhileRedisIsDownIsSentWhenItIsBack() throws Exception {
    try (RedisProcess redis = RedisProcess.start(); SharedStateFixture fleet = new SharedStateFixture(redis, "d:")) {
      List<String> onB = new CopyOnWriteArrayList<>();
      SharedState a = fleet.instance();
      fleet.instance().adoptConfigWith(onB::add);
      fleet.awaitUp(CONNECTING);

      redis.kill();
      await(WITHIN, () -> a.status().equals("degraded"), "A notices");
      a.configWrites().accept("debug: true\n");
      redis.restart();

      await(CONNECTING, () -> onB.equals(List.of("debug: true\n")), "B adopts it once Redis is back");
    }
  }
}
