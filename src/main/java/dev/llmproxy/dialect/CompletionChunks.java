package dev.llmproxy.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole chat-completions (or legacy completions) answer told as the stream of chunks a provider would have sent,
 * for a client that asked for a stream from an upstream that answered with one JSON body anyway (some servers ignore
 * {@code "stream": true}). The reverse of {@link GatheredCompletion}: per choice a first chunk with the whole
 * message as its delta (tool calls with their index), a second with its {@code finish_reason}; then, when the answer
 * has {@code usage}, a chunk with no choices that carries it, as {@code stream_options.include_usage} asks. Stateless.
 */
public final class CompletionChunks {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private CompletionChunks() {}

  /**
   * The chunks {@code completion} stands for, in order.
   *
   * @throws IllegalArgumentException when it is not an answer with a {@code choices} array
   */
  public static List<ObjectNode> of(JsonNode completion) {
    JsonNode choices = completion.path("choices");
    if (!completion.isObject() || !choices.isArray()) {
      throw new IllegalArgumentException("the answer has no choices");
    }
    boolean legacy = "text_completion".equals(completion.path("object").asText());
    List<ObjectNode> chunks = new ArrayList<>(3);
    ObjectNode content = envelope(completion, legacy);
    ObjectNode endings = envelope(completion, legacy);
    ArrayNode contentChoices = (ArrayNode) content.get("choices");
    ArrayNode endingChoices = (ArrayNode) endings.get("choices");
    for (int position = 0; position < choices.size(); position++) {
      JsonNode choice = choices.get(position);
      if (!choice.isObject()) {
        continue;
      }
      int index = StreamedToolCalls.upstreamIndex(choice, position);
      contentChoices.add(legacy ? textOf(choice, index) : deltaOf(choice, index));
      ObjectNode ending = endingChoices.addObject().put("index", index);
      if (!legacy) {
        ending.putObject("delta");
      }
      JsonNode reason = JsonFields.get(choice, "finish_reason");
      ending.set("finish_reason", reason == null ? NODES.textNode("stop") : reason);
    }
    chunks.add(content);
    chunks.add(endings);
    JsonNode usage = completion.get("usage");
    if (usage != null && usage.isObject()) {
      ObjectNode last = envelope(completion, legacy);
      last.set("usage", usage);
      chunks.add(last);
    }
    return chunks;
  }

  /** A chunk's fields besides its choices: the answer's own, with the chunk's {@code object}. */
  private static ObjectNode envelope(JsonNode completion, boolean legacy) {
    ObjectNode chunk = NODES.objectNode();
    completion.fields().forEachRemaining(field -> {
      if (!field.getKey().equals("choices") && !field.getKey().equals("usage")) {
        chunk.set(field.getKey(), field.getValue());
      }
    });
    chunk.put("object", legacy ? "text_completion" : "chat.completion.chunk");
    chunk.putArray("choices");
    return chunk;
  }

  private static ObjectNode deltaOf(JsonNode choice, int index) {
    ObjectNode chunkChoice = NODES.objectNode().put("index", index);
    ObjectNode delta = chunkChoice.putObject("delta");
    JsonNode message = choice.path("message");
    message.fields().forEachRemaining(field -> {
      if (!field.getKey().equals("tool_calls") && !field.getValue().isNull()) {
        delta.set(field.getKey(), field.getValue());
      }
    });
    JsonNode calls = message.path("tool_calls");
    if (calls.isArray() && !calls.isEmpty()) {
      ArrayNode fragments = delta.putArray("tool_calls");
      for (int i = 0; i < calls.size(); i++) {
        // The call's own fields, with the index a stream's fragments carry first (a whole call has none).
        ObjectNode fragment = fragments.addObject().put("index", i);
        calls.get(i).fields().forEachRemaining(field -> {
          if (!field.getKey().equals("index")) {
            fragment.set(field.getKey(), field.getValue());
          }
        });
      }
    }
    copyLogprobs(choice, chunkChoice);
    chunkChoice.putNull("finish_reason");
    return chunkChoice;
  }

  private static ObjectNode textOf(JsonNode choice, int index) {
    ObjectNode chunkChoice = NODES.objectNode().put("index", index);
    chunkChoice.put("text", choice.path("text").asText(""));
    copyLogprobs(choice, chunkChoice);
    chunkChoice.putNull("finish_reason");
    return chunkChoice;
  }

  private static void copyLogprobs(JsonNode choice, ObjectNode chunkChoice) {
    JsonNode logprobs = choice.get("logprobs");
    if (logprobs != null && !logprobs.isNull()) {
      chunkChoice.set("logprobs", logprobs);
    }
  }
}
