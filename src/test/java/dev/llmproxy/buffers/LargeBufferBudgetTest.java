package dev.llmproxy.buffers;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LargeBufferBudgetTest {
  private static final int MIB = 1024 * 1024;

  @Test
  void buffersUpToTheThresholdAreNotCounted() {
    LargeBufferBudget budget = new LargeBufferBudget(0);
    BufferMeter meter = budget.newAccount().newMeter();
    assertDoesNotThrow(() -> meter.ensure(LargeBufferBudget.THRESHOLD));
    assertEquals(0, budget.reserved());
  }

  @Test
  void growthBeyondTheThresholdIsReservedAtItsPeakOnly() {
    LargeBufferBudget budget = new LargeBufferBudget(100 * MIB);
    BufferMeter meter = budget.newAccount().newMeter();
    meter.ensure(4 * MIB);
    meter.ensure(2 * MIB); // an array handed away, the buffer growing again: already paid for
    meter.ensure(8 * MIB);
    assertEquals(8 * MIB, budget.reserved());
  }

  @Test
  void aReservationThatDoesNotFitFailsAndTakesNothing() {
    LargeBufferBudget budget = new LargeBufferBudget(10 * MIB);
    budget.newAccount().newMeter().ensure(8 * MIB);
    BufferMeter second = budget.newAccount().newMeter();
    assertThrows(BufferBudgetExceededException.class, () -> second.ensure(4 * MIB));
    assertEquals(8 * MIB, budget.reserved());
  }

  @Test
  void closingAnAccountGivesBackEveryBufferOfItsExchangeOnce() {
    LargeBufferBudget budget = new LargeBufferBudget(10 * MIB);
    BufferAccount account = budget.newAccount();
    account.newMeter().ensure(4 * MIB);
    account.newMeter().ensure(5 * MIB);
    assertEquals(9 * MIB, budget.reserved());
    account.close();
    account.close();
    assertEquals(0, budget.reserved());
    assertDoesNotThrow(() -> budget.newAccount().newMeter().ensure(10 * MIB));
  }

  @Test
  void anExchangeWhoseGrowthDoesNotFitGivesBackWhatItHeldSoOthersCanFinish() {
    LargeBufferBudget budget = new LargeBufferBudget(10 * MIB);
    BufferAccount first = budget.newAccount();
    BufferAccount second = budget.newAccount();
    first.newMeter().ensure(5 * MIB);
    second.newMeter().ensure(5 * MIB);
    assertThrows(BufferBudgetExceededException.class, () -> second.newMeter().ensure(2 * MIB));
    assertEquals(5 * MIB, budget.reserved(), "the second gave its 5 MiB back");
    assertDoesNotThrow(() -> first.newMeter().ensure(5 * MIB), "so the first can go on");
    assertThrows(BufferBudgetExceededException.class, () -> second.newMeter().ensure(2 * MIB),
        "and the second takes no room again");
  }

  @Test
  void aClosedAccountReservesNothingMore() {
    LargeBufferBudget budget = new LargeBufferBudget(100 * MIB);
    BufferAccount account = budget.newAccount();
    account.close();
    assertThrows(BufferBudgetExceededException.class, () -> account.newMeter().ensure(2 * MIB));
    assertEquals(0, budget.reserved());
  }

  @Test
  void theHeapBudgetIsAThirdOfTheMaximumHeap() {
    assertEquals(Runtime.getRuntime().maxMemory() / 3, LargeBufferBudget.forHeap().capacity());
  }
}
