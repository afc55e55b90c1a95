package dev.llmproxy.dialect;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns one upstream chat-completions stream into the client's event grammar, chunk by chunk. Stateful:
 * one instance per streamed response (per upstream attempt that got as far as streaming). Not
 * thread-safe; the relay calls it from one thread at a time. Never blocks and never does I/O.
 *
 * <p>Call order: {@link #onChunk} for every upstream {@code data:} JSON object (never for {@code [DONE]}),
 * then exactly one of {@link #onEnd} or {@link #onFailure}; or {@link #onFailure} after an {@link #onEnd} that threw
 * (the events of the end did not fit the gateway's large-buffer budget), which tells the failure alone.
 */
public interface StreamTranslator {

  /** One upstream chunk ({@code {"object":"chat.completion.chunk","choices":[...],"usage":...}}). */
  void onChunk(JsonNode chunk, EventSink out);

  /**
   * The upstream stream ended cleanly: with {@code data: [DONE]}, or at end of file after every choice
   * had a {@code finish_reason}. Emits whatever closes the client's stream (open blocks, the final
   * message/response event with usage).
   */
  void onEnd(EventSink out);

  /**
   * The stream cannot go on after it started (an upstream error event, a cut connection, a malformed
   * chunk). Emits the client's in-stream error event, and never the events of a clean end, so the client
   * knows the answer is incomplete.
   *
   * @param status the HTTP status the failure would have had before the first byte (429, 500, 502, 504...)
   * @param message text for the client; never contains a secret
   */
  void onFailure(int status, String message, EventSink out);

  /** True once this translator emitted anything: from then on the response cannot fail over. */
  boolean started();

  /**
   * Characters of the answer this translator keeps to repeat at its end (a Responses stream's closing events carry
   * the whole text); the relay charges them to the large-buffer budget. Most translators keep none.
   */
  default long keptChars() {
    return 0;
  }
}
