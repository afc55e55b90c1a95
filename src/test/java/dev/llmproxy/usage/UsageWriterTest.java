package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UsageWriterTest {
  private static final UsageRecord RECORD = UsageRecord.of(Instant.parse("2026-12-05T10:00:00Z"), "anonymous", "m",
      "p", "m", "openai", "/v1/chat/completions", RequestOutcome.SUCCEEDED, 200, new TokenUsage(1, 2, 3), 5, 0, false);

  /** Counts what it was given; {@link #gate} holds the writer inside {@link #append} until opened. */
  private static final class RecordingStore implements UsageStore {
    final List<UsageRecord> written = new ArrayList<>();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch prepared = new CountDownLatch(1);
    final CountDownLatch gate;
    final AtomicInteger failuresLeft;

    RecordingStore(CountDownLatch gate, int failures) {
      this.gate = gate;
      this.failuresLeft = new AtomicInteger(failures);
    }

    @Override
    public void prepare() {
      prepared.countDown();
    }

    @Override
    public void append(List<UsageRecord> batch) {
      entered.countDown();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UsageStoreException("interrupted", e);
      }
      if (failuresLeft.getAndDecrement() > 0) {
        throw new UsageStoreException("database down", null);
      }
      synchronized (this) {
        written.addAll(batch);
      }
    }

    synchronized int count() {
      return written.size();
    }

    @Override
    public UsageReport report(LocalDate from, LocalDate to, UsageGrouping groupBy) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<ModelTokens> clientTokens(String client, Instant from, Instant before) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String describe() {
      return "a test store";
    }

    @Override
    public void close() {}
  }

  @Test
  void preparesTheStoreAtStartBeforeAnyRecord() throws Exception {
    RecordingStore store = new RecordingStore(new CountDownLatch(0), 0);
    try (UsageWriter writer = new UsageWriter(store, 100, Duration.ofSeconds(5))) {
      assertTrue(store.prepared.await(5, TimeUnit.SECONDS), "the schema is migrated at startup, not at the first write");
      assertEquals(0, store.count());
    }
  }

  @Test
  void aFullQueueDropsAndCountsWithoutBlockingTheCaller() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    RecordingStore store = new RecordingStore(gate, 0);
    try (UsageWriter writer = new UsageWriter(store, 100, Duration.ofSeconds(5))) {
      assertTrue(writer.offer(RECORD));
      assertTrue(store.entered.await(5, TimeUnit.SECONDS), "the writer took the first record and is held");
      int accepted = 0;
      for (int i = 0; i < 150; i++) {
        accepted += writer.offer(RECORD) ? 1 : 0;
      }
      assertEquals(99, accepted, "the capacity counts the held batch too: it is memory as much as the queue");
      assertEquals(51, writer.dropped());
      assertEquals(100, writer.unwritten(), "what the queue gauge shows: the held record is not written either");
      gate.countDown();
      assertTrue(writer.awaitWritten(Duration.ofSeconds(5)));
      assertEquals(100, store.count());
      assertEquals(0, writer.unwritten());
    }
  }

  @Test
  void aFailingStoreIsRetriedWithTheSameBatch() throws Exception {
    CountDownLatch open = new CountDownLatch(0);
    RecordingStore store = new RecordingStore(open, 1);
    try (UsageWriter writer = new UsageWriter(store, 100, Duration.ofSeconds(5))) {
      writer.offer(RECORD);
      writer.offer(RECORD);
      assertTrue(writer.awaitWritten(Duration.ofSeconds(10)), "written after the 1 s back-off");
      assertEquals(2, store.count());
      assertEquals(0, writer.dropped());
    }
  }

  @Test
  void closeWritesWhatIsQueued() {
    RecordingStore store = new RecordingStore(new CountDownLatch(0), 0);
    UsageWriter writer = new UsageWriter(store, 10_000, Duration.ofSeconds(5));
    for (int i = 0; i < 1234; i++) {
      writer.offer(RECORD);
    }
    writer.close();
    assertEquals(1234, store.count());
    assertFalse(writer.offer(RECORD), "a closed writer takes nothing");
  }
}
