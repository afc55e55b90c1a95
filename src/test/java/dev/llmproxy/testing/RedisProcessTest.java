package dev.llmproxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class RedisProcessTest {

  @Test
  void answersOnItsPortAndRestartsEmptyOnTheSamePortAfterAKill() {
    try (RedisProcess redis = RedisProcess.start()) {
      assertEquals("+PONG", redis.command("PING"));
      assertEquals("+OK", redis.command("SET", "k", "v"));
      assertEquals("v", redis.command("GET", "k"));
      assertEquals("redis://127.0.0.1:" + redis.port() + "/0", redis.url());
      int port = redis.port();

      redis.kill();
      assertThrows(UncheckedIOException.class, () -> redis.command("PING"));

      redis.restart();
      assertEquals(port, redis.port());
      assertEquals("$-1", redis.command("GET", "k"), "no persistence: a restart starts empty");
    }
  }

  @Test
  void aPasswordIsRequiredAndPartOfTheUrl() {
    try (RedisProcess redis = RedisProcess.start("pw-for-tests", null)) {
      assertEquals("+PONG", redis.command("PING"), "command() authenticates");
      assertTrue(redis.url().startsWith("redis://:pw-for-tests@127.0.0.1:"), redis.url());
      assertFalse(redis.log().isEmpty());
    }
  }
}
