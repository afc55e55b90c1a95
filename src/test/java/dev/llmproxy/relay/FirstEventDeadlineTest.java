package dev.llmproxy.relay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FirstEventDeadlineTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final FirstEventDeadline deadline = new FirstEventDeadline();

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  @Test
  void theFirstEventCancelsTheArmedTask() {
    ScheduledFuture<?> task = newTask();
    deadline.arm(task, false);
    assertFalse(task.isCancelled());
    assertFalse(deadline.isMet());

    deadline.meet();

    assertTrue(task.isCancelled());
    assertTrue(deadline.isMet());
  }

  @Test
  void aTaskArmedAfterTheFirstEventIsCancelledAtOnce() {
    deadline.meet();
    ScheduledFuture<?> task = newTask();

    deadline.arm(task, false);

    assertTrue(task.isCancelled());
  }

  @Test
  void aTaskArmedAfterTheAttemptIsOverIsCancelledAtOnce() {
    ScheduledFuture<?> task = newTask();

    deadline.arm(task, true);

    assertTrue(task.isCancelled());
    assertFalse(deadline.isMet());
  }

  @Test
  void disarmingCancelsTheTaskWithoutMeetingTheDeadline() {
    ScheduledFuture<?> task = newTask();
    deadline.arm(task, false);

    deadline.disarm();

    assertTrue(task.isCancelled());
    assertFalse(deadline.isMet());
  }

  private ScheduledFuture<?> newTask() {
    return scheduler.schedule(() -> { }, 1, TimeUnit.HOURS);
  }
}
