package dev.llmproxy.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class OpenRequestsTest {
  private final MutableClock clock = new MutableClock();
  private final OpenRequests openRequests = new OpenRequests(clock);

  @Test
  void admitsUpToTheLimitAndRefusesBeyondIt() {
    assertTrue(openRequests.tryOpen(2));
    assertTrue(openRequests.tryOpen(2));
    assertFalse(openRequests.tryOpen(2));
    assertEquals(new OpenRequests.Status(2, 1, clock.instant()), openRequests.status());

    openRequests.close();
    assertTrue(openRequests.tryOpen(2), "a closed request gives its place back");
    assertEquals(2, openRequests.open());
  }

  @Test
  void aLowerLimitRefusesNewRequestsUntilEnoughEnd() {
    assertTrue(openRequests.tryOpen(3));
    assertTrue(openRequests.tryOpen(3));
    assertTrue(openRequests.tryOpen(3));

    assertFalse(openRequests.tryOpen(2), "a reload to 2 while 3 are open");
    openRequests.close();
    assertFalse(openRequests.tryOpen(2), "still 2 open");
    openRequests.close();
    assertTrue(openRequests.tryOpen(2));
    assertEquals(2, openRequests.refused());
  }

  @Test
  void countsEveryRefusalAndKeepsTheLast() {
    assertNull(openRequests.status().lastRefused());
    assertTrue(openRequests.tryOpen(1));
    assertFalse(openRequests.tryOpen(1));
    clock.advance(Duration.ofSeconds(40));
    assertFalse(openRequests.tryOpen(1));
    assertEquals(2, openRequests.refused());
    assertEquals(clock.instant(), openRequests.status().lastRefused());
  }

  @Test
  void aClientUnderACapHoldsNoMoreThanItAndItsEntryGoesAtZero() {
    assertTrue(openRequests.tryOpenFor("key:a", 2));
    assertTrue(openRequests.tryOpenFor("key:a", 2));
    assertFalse(openRequests.tryOpenFor("key:a", 2));
    assertTrue(openRequests.tryOpenFor("key:b", 2), "each client has its own count");
    assertEquals(2, openRequests.openFor("key:a"));

    openRequests.closeFor("key:a");
    assertTrue(openRequests.tryOpenFor("key:a", 2));
    openRequests.closeFor("key:a");
    openRequests.closeFor("key:a");
    openRequests.closeFor("key:b");
    assertEquals(0, openRequests.openFor("key:a"));
    openRequests.closeFor("key:a");
    assertEquals(0, openRequests.openFor("key:a"), "never below zero");
    assertTrue(openRequests.tryOpenFor("key:a", 1));
  }

  /** Many threads at once never hold more than the limit, and every place taken is given back. */
  @Test
  void whatOtherInstancesHoldCountsAgainstAClientsCap() {
    Map<String, Integer> elsewhere = new ConcurrentHashMap<>(
        Map.of("key:a", 2));
    OpenRequests fleetMember = new OpenRequests(Clock.systemUTC(), id -> elsewhere.getOrDefault(id, 0));
    assertTrue(fleetMember.tryOpenFor("key:a", 3), "2 elsewhere + 1 here = the cap");
    assertFalse(fleetMember.tryOpenFor("key:a", 3));
    assertEquals(3, fleetMember.openFor("key:a"), "the usage row counts the fleet's");
    assertEquals(Map.of("key:a", 1), fleetMember.openByClient(), "only its own are shared");

    elsewhere.put("key:a", 1);
    assertTrue(fleetMember.tryOpenFor("key:a", 3), "a place freed on another instance");
    assertFalse(fleetMember.tryOpenFor("key:a", 3));
  }

  @Test
  void neverHoldsMoreThanTheLimitUnderContention() throws Exception {
    int limit = 5;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        tasks.add(() -> {
          int highest = 0;
          for (int i = 0; i < 20_000; i++) {
            if (openRequests.tryOpen(limit)) {
              highest = Math.max(highest, openRequests.open());
              openRequests.close();
            }
          }
          return highest;
        });
      }
      for (Future<Integer> f : pool.invokeAll(tasks)) {
        assertTrue(f.get() <= limit, "held " + f.get() + " at once");
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, openRequests.open());
  }
}
