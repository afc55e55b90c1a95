package dev.llmproxy.state;

import static dev.llmproxy.state.SharedStateFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.config.StateConfig;
import dev.llmproxy.testing.RedisProcess;
import dev.llmproxy.testing.SelfSignedCertificate;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The link to Redis: password, TLS, and no thread left behind. */
class RedisConnectionsTest {
  private static final String PASSWORD = "s3cret-redis-pass";
  /** Threads of Lettuce and Netty, under our names or theirs. */
  private static final List<String> REDIS_THREADS = List.of("llm-proxy-redis-", "lettuce-", "globalEventExecutor",
      "threadDeathWatcher", "nioEventLoop", "ObjectCleaner");

  @TempDir
  Path dir;

  @Test
  void closingStopsEveryLettuceAndNettyThread() throws Exception {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    try (RedisProcess redis = RedisProcess.start()) {
      RedisConnections connections = new RedisConnections(
          SharedStateFixture.config(redis.url(), "c:", Duration.ofSeconds(1)), scheduler);
      await(Duration.ofSeconds(5), connections::isUp, "connected");
      assertEquals("PONG", connections.call(RedisAsyncCommands::ping).get(5, TimeUnit.SECONDS));
      assertFalse(redisThreads().isEmpty(), "connected: its threads run (else this test proves nothing)");

      connections.close();

      assertEquals(List.of(), redisThreads(), "threads left after close");
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aPasswordIsSentAndAWrongOneIsAnOutageThatNeverShowsThePassword() throws Exception {
    try (RedisProcess redis = RedisProcess.start(PASSWORD, null);
        SharedStateFixture right = new SharedStateFixture(redis, "p:")) {
      right.instance();
      right.awaitUp(Duration.ofSeconds(30)); // connecting takes what a loaded machine gives it

      try (RedisProcess other = RedisProcess.start("another-password", null);
          SharedStateFixture wrong = new SharedStateFixture(other, "p:")) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        SharedState state = SharedState.open(SharedStateFixture.config(
            other.url().replace("another-password", PASSWORD), "p:", Duration.ofSeconds(1)),
            java.time.Clock.systemUTC(), scheduler);
        try {
          await(Duration.ofSeconds(5), () -> !wrong.warnings().isEmpty(), "a warning about the refused password");
          assertEquals("degraded", state.status());
          String warning = wrong.warnings().get(0);
          assertTrue(warning.contains("redis://:<redacted>@127.0.0.1:" + other.port()), warning);
          assertFalse(warning.contains(PASSWORD), warning);
        } finally {
          state.close();
          scheduler.shutdownNow();
        }
      }
    }
  }

  @Test
  void tlsWithATrustStoreFromTheConfig() throws Exception {
    try (SelfSignedCertificate certificate = SelfSignedCertificate.forLoopback();
        RedisProcess redis = RedisProcess.start(PASSWORD, certificate)) {
      Files.copy(certificate.trustStore(), dir.resolve("redis-ca.p12"));
      StateConfig state = new ConfigLoader(Map.of("REDIS_URL", redis.url())::get).parse("""
          state:
            store: redis
            redis-url: "${REDIS_URL}"
            redis-trust-store: redis-ca.p12
            redis-trust-store-password: "%s"
          """.formatted(SelfSignedCertificate.PASSWORD), "config.yaml", dir).state();
      assertTrue(redis.url().startsWith("rediss://"));
      ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
      SharedState a = SharedState.open(state, java.time.Clock.systemUTC(), scheduler);
      SharedState b = SharedState.open(state, java.time.Clock.systemUTC(), scheduler);
      try {
        await(Duration.ofSeconds(10), () -> a.status().equals("redis") && b.status().equals("redis"), "TLS up");
        a.cooldowns().coolModel(SharedStateFixture.key("p:1"), "m", Duration.ofSeconds(30), "transient (HTTP 500)");
        await(Duration.ofSeconds(1), () -> b.cooldowns().coolingUntil(SharedStateFixture.key("p:1"), "m") != null,
            "shared over TLS");
      } finally {
        a.close();
        b.close();
        scheduler.shutdownNow();
      }
    }
  }

  private static List<String> redisThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(name -> REDIS_THREADS.stream().anyMatch(name::startsWith)).sorted().toList();
  }
}
