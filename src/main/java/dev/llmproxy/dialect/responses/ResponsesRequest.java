package dev.llmproxy.dialect.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A Responses request translated to chat completions. The chat body is the relay's to send: it sets
 * {@code model} per attempt and clamps {@code max_tokens} per model; everything else is final. Not
 * immutable (the body is a Jackson tree); owned by one request.
 *
 * @param chatBody the {@code /chat/completions} body; {@code model} is still the client's string
 * @param model the model string the client sent
 * @param stream whether the client asked for an event stream
 * @param context what the answer and stream translators need
 * @param notes what the translation left out (built-in tools, item types without a chat
 *     equivalent), one sentence each, for the relay to log; empty when nothing was dropped
 */
public record ResponsesRequest(
    ObjectNode chatBody, String model, boolean stream, ResponsesContext context, List<String> notes) {
  public ResponsesRequest {
    notes = List.copyOf(notes);
  }
}
