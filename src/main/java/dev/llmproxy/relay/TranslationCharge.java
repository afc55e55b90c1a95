package dev.llmproxy.relay;

import dev.llmproxy.buffers.BufferAccount;
import dev.llmproxy.buffers.BufferBudgetExceededException;
import dev.llmproxy.buffers.BufferMeter;
import dev.llmproxy.buffers.LargeBufferBudget;
import dev.llmproxy.dialect.Answer;
import dev.llmproxy.stream.SseEvent;

/**
 * Reserves what translating one attempt's streamed answer costs beyond the buffers that meter themselves (the
 * parser's, the frames'), charging the exchange's {@link BufferAccount} its peak. Not thread-safe: its owner
 * ({@link UpstreamAttempt}) calls it only while holding its own monitor.
 */
final class TranslationCharge {
  /** Copies of an event a translator makes beyond its metered buffers: its tree, a copy of its text. */
  static final int TRANSLATION_COPIES = 2;
  /** Copies of the text a translator keeps: its own, and the strings its closing events are built from. */
  static final int KEPT_COPIES = 2;

  private final Answer answer;
  /** The exchange's account: {@link #translation} reserves from it. */
  private final BufferAccount buffers;
  /** What translating this attempt's answer reserved at most ({@link #charge}); {@code null} until then. */
  private BufferMeter translation;

  TranslationCharge(Answer answer, BufferAccount buffers) {
    this.answer = answer;
    this.buffers = buffers;
  }

  /**
   * Reserves what translating costs beyond the buffers that meter themselves (the parser's, the frames'): the tree
   * the translator reads an event into, with a copy of its text, and the text a translator keeps to repeat at its end
   * (a Responses stream's closing events carry all of it). Unreserved, sixteen streams of one 15 MB event each,
   * translated for Responses clients at once, ran a 512 MB heap out of memory with the budget showing room. The usual
   * token stream stays far below the threshold: a multiplication and a comparison per event.
   *
   * @throws BufferBudgetExceededException when the budget cannot take it (the caller fails the attempt)
   */
  void charge(SseEvent event) {
    if (answer.relaysLargeBodies()) {
      return; // passed through as it is: no tree, nothing kept
    }
    long need = (long) TRANSLATION_COPIES * event.dataLength() + KEPT_COPIES * answer.keptChars();
    if (need > LargeBufferBudget.THRESHOLD) {
      if (translation == null) {
        translation = buffers.newMeter();
      }
      translation.ensure(need);
    }
  }
}
