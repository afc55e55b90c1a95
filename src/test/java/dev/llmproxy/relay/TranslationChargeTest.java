package dev.llmproxy.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.llmproxy.buffers.BufferBudgetExceededException;
import dev.llmproxy.buffers.LargeBufferBudget;
import dev.llmproxy.dialect.Answer;
import dev.llmproxy.stream.SseEvent;
import dev.llmproxy.stream.SseEventParser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TranslationChargeTest {
  private static final long KEPT_OVER_THRESHOLD = LargeBufferBudget.THRESHOLD;

  private final LargeBufferBudget budget = new LargeBufferBudget(64L << 20);
  private final Answer answer = mock(Answer.class);
  private final TranslationCharge charge = new TranslationCharge(answer, budget.newAccount());

  @Test
  void theUsualTokenStreamReservesNothing() {
    onEvent("{\"choices\":[]}", charge::charge);
    assertEquals(0, budget.reserved());
  }

  @Test
  void theTextATranslatorKeepsIsReservedTwiceWithTwoCopiesOfTheEvent() {
    when(answer.keptChars()).thenReturn(KEPT_OVER_THRESHOLD);
    String data = "{\"choices\":[]}";

    onEvent(data, charge::charge);

    long expected = TranslationCharge.TRANSLATION_COPIES * data.length()
        + TranslationCharge.KEPT_COPIES * KEPT_OVER_THRESHOLD;
    assertEquals(expected, budget.reserved());
  }

  @Test
  void onlyThePeakIsReserved() {
    when(answer.keptChars()).thenReturn(KEPT_OVER_THRESHOLD);
    onEvent("{\"choices\":[]}", charge::charge);
    long peak = budget.reserved();

    onEvent("{}", charge::charge);

    assertEquals(peak, budget.reserved());
  }

  @Test
  void anAnswerPassedThroughAsItIsReservesNothing() {
    when(answer.relaysLargeBodies()).thenReturn(true);
    when(answer.keptChars()).thenReturn(KEPT_OVER_THRESHOLD);
    onEvent("{\"choices\":[]}", charge::charge);
    assertEquals(0, budget.reserved());
  }

  @Test
  void aChargeTheBudgetCannotTakeIsRefused() {
    when(answer.keptChars()).thenReturn(budget.capacity());
    onEvent("{\"choices\":[]}", event ->
        assertThrows(BufferBudgetExceededException.class, () -> charge.charge(event)));
    assertEquals(0, budget.reserved());
  }

  private static void onEvent(String data, Consumer<SseEvent> onEvent) {
    new SseEventParser(onEvent::accept, 1 << 20, UpstreamFailures.ERROR_KEY)
        .feed(ByteBuffer.wrap(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8)));
  }
}
