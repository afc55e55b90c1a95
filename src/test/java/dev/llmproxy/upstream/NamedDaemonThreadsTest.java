package dev.llmproxy.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NamedDaemonThreadsTest {
  @Test
  void tellsWhenAThreadEndsEvenKilledByAnError() throws Exception {
    CountDownLatch ended = new CountDownLatch(1);
    Thread t = new NamedDaemonThreads("test-reactor", ended::countDown).newThread(() -> {
      throw new OutOfMemoryError("as a reactor thread may die");
    });
    t.setUncaughtExceptionHandler((thread, e) -> { });
    assertTrue(t.isDaemon());
    assertEquals("test-reactor-1", t.getName());
    t.start();
    assertTrue(ended.await(5, TimeUnit.SECONDS), "onExit ran although the thread died of an error");
  }
}
