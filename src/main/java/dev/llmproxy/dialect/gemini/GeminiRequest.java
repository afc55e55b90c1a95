package dev.llmproxy.dialect.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A Gemini {@code generateContent}/{@code streamGenerateContent} request translated to chat completions.
 * The chat body is the relay's to send: it sets {@code model} per attempt and clamps {@code max_tokens}
 * per model; copy it before changing it for one attempt while keeping it for the next. Otherwise immutable.
 *
 * @param chatBody the {@code /chat/completions} body; {@code model} is still the client's string
 * @param model the model named in the URL
 * @param stream whether the client called {@code streamGenerateContent}
 * @param context what the answer and stream translators need
 * @param notes what the translation left out (Google-side tools such as {@code googleSearch}, parts
 *     without a chat equivalent), one sentence each, for the relay to log
 */
public record GeminiRequest(
    ObjectNode chatBody, String model, boolean stream, GeminiContext context, List<String> notes) {
  public GeminiRequest {
    notes = List.copyOf(notes);
  }
}
