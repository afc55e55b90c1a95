package dev.llmproxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a whole Anthropic Messages event stream against the grammar clients rely on, and rebuilds the
 * message from it the way the SDKs' accumulators do. Usable with events read from the wire
 * ({@link SseEvents#remaining}) and with events a translator emitted in a unit test.
 *
 * <p>The grammar: every event named, its data a JSON object whose {@code type} is the name; {@code ping}
 * anywhere; {@code message_start} first; then blocks one at a time with indexes 0, 1, 2… in start order,
 * each {@code content_block_start}, deltas of the block's kind ({@code text_delta}, {@code thinking_delta}
 * or {@code signature_delta}, {@code input_json_delta}), {@code content_block_stop}; a tool block's
 * fragments concatenated parse as a JSON object; tool ids match {@code ^[a-zA-Z0-9_-]+$}; then
 * {@code message_delta} exactly once (a known {@code stop_reason}, {@code usage.output_tokens} present)
 * and {@code message_stop} last. Or an {@code error} event last, after which nothing follows and before
 * which no {@code message_delta}/{@code message_stop} came (an open block may stay open). Stateless.
 *
 * <pre>{@code
 * AnthropicEventGrammar.Message message = AnthropicEventGrammar.check(events.remaining(TIMEOUT));
 * assertEquals("tool_use", message.stopReason());
 * }</pre>
 */
public final class AnthropicEventGrammar {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOOL_ID = Pattern.compile("^[a-zA-Z0-9_-]+$");
  private static final Set<String> STOP_REASONS =
      Set.of("end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal");

  private AnthropicEventGrammar() {}

  /**
   * The message as a client accumulates it.
   *
   * @param start the {@code message} of {@code message_start}
   * @param content the blocks, with text and thinking concatenated and tool input parsed
   * @param stopReason from {@code message_delta}, or {@code null} when the stream ended with an error
   * @param usage the {@code message_delta}'s usage, or {@code null}
   * @param error the {@code error} object of a final error event, or {@code null}
   */
  public record Message(JsonNode start, List<ObjectNode> content, String stopReason, JsonNode usage,
      JsonNode error) {}

  /**
   * Checks {@code events}.
   *
   * @throws AssertionError naming the first violation, with the event stream
   */
  public static Message check(List<SseEvent> events) {
    try {
      return new Checker().run(events);
    } catch (GrammarViolation e) {
      StringBuilder text = new StringBuilder(e.getMessage()).append("\nevents:");
      for (int i = 0; i < events.size(); i++) {
        text.append("\n  ").append(i).append(": ").append(events.get(i).event()).append(' ')
            .append(events.get(i).data());
      }
      throw new AssertionError(text.toString());
    }
  }

  private static final class GrammarViolation extends RuntimeException {
    GrammarViolation(int index, String message) {
      super("event " + index + ": " + message, null, false, false);
    }
  }

  /** One pass over the events; fields are the accumulator's state. */
  private static final class Checker {
    private JsonNode start;
    private final List<ObjectNode> content = new ArrayList<>();
    private ObjectNode openBlock;
    private StringBuilder openJson;
    private String stopReason;
    private JsonNode usage;
    private JsonNode error;
    private boolean stopped;
    private int i;

    Message run(List<SseEvent> events) {
      if (events.isEmpty()) {
        throw new GrammarViolation(0, "no events at all");
      }
      for (i = 0; i < events.size(); i++) {
        SseEvent event = events.get(i);
        JsonNode data = parse(event);
        if (stopped || error != null) {
          fail((error != null ? "error" : "message_stop") + " must be the last event, then came " + event.event());
        }
        if ("ping".equals(event.event())) {
          continue;
        }
        if (start == null && !"message_start".equals(event.event()) && !"error".equals(event.event())) {
          fail("the first event must be message_start, not " + event.event());
        }
        switch (event.event()) {
          case "message_start" -> messageStart(data);
          case "content_block_start" -> blockStart(data);
          case "content_block_delta" -> blockDelta(data);
          case "content_block_stop" -> blockStop(data);
          case "message_delta" -> messageDelta(data);
          case "message_stop" -> messageStop();
          case "error" -> error(data);
          default -> fail("unknown event " + event.event());
        }
      }
      if (!stopped && error == null) {
        fail("the stream ended without message_stop or error");
      }
      return new Message(start, List.copyOf(content), stopReason, usage, error);
    }

    private JsonNode parse(SseEvent event) {
      if (event.event() == null) {
        fail("an event without a name: " + event.data());
      }
      JsonNode data;
      try {
        data = JSON.readTree(event.data());
      } catch (IOException e) {
        throw new GrammarViolation(i, "data is not JSON: " + event.data());
      }
      if (data == null || !data.isObject() || !event.event().equals(data.path("type").asText())) {
        fail("data.type must equal the event name " + event.event() + ": " + event.data());
      }
      return data;
    }

    private void messageStart(JsonNode data) {
      if (start != null) {
        fail("a second message_start");
      }
      JsonNode message = data.path("message");
      require(message.path("id").asText().startsWith("msg_"), "message.id starts with msg_: " + message);
      require("message".equals(message.path("type").asText()), "message.type is message");
      require("assistant".equals(message.path("role").asText()), "message.role is assistant");
      require(message.path("content").isArray() && message.path("content").isEmpty(), "message.content is []");
      require(message.path("model").isTextual(), "message.model is a string");
      require(message.has("stop_reason") && message.get("stop_reason").isNull(), "message.stop_reason is null");
      require(message.path("usage").path("input_tokens").isIntegralNumber(), "usage.input_tokens is a number");
      require(message.path("usage").path("output_tokens").isIntegralNumber(), "usage.output_tokens is a number");
      start = message;
    }

    private void blockStart(JsonNode data) {
      if (openBlock != null) {
        fail("a block started while block " + (content.size() - 1) + " is open");
      }
      requireIndex(data, content.size());
      if (usage != null) {
        fail("a block started after message_delta");
      }
      JsonNode block = data.path("content_block");
      String type = block.path("type").asText();
      ObjectNode accumulated = JsonNodeFactory.instance.objectNode().put("type", type);
      switch (type) {
        case "text" -> {
          require("".equals(block.path("text").asText(null)), "a text block starts empty");
          accumulated.put("text", "");
        }
        case "thinking" -> {
          require("".equals(block.path("thinking").asText(null)), "a thinking block starts empty");
          require(block.path("signature").isTextual(), "a thinking block has a signature");
          accumulated.put("thinking", "").put("signature", block.path("signature").asText());
        }
        case "tool_use" -> {
          String id = block.path("id").asText("");
          require(TOOL_ID.matcher(id).matches(), "tool_use.id matches ^[a-zA-Z0-9_-]+$: " + id);
          require(!block.path("name").asText("").isEmpty(), "tool_use.name is not empty");
          require(block.path("input").isObject() && block.path("input").isEmpty(), "tool_use.input starts {}");
          accumulated.put("id", id).put("name", block.path("name").asText());
          openJson = new StringBuilder();
        }
        default -> fail("unknown block type " + type);
      }
      content.add(accumulated);
      openBlock = accumulated;
    }

    private void blockDelta(JsonNode data) {
      if (openBlock == null) {
        fail("a delta while no block is open");
      }
      requireIndex(data, content.size() - 1);
      JsonNode delta = data.path("delta");
      String type = delta.path("type").asText();
      String blockType = openBlock.path("type").asText();
      switch (type) {
        case "text_delta" -> {
          require("text".equals(blockType), "text_delta in a " + blockType + " block");
          openBlock.put("text", openBlock.get("text").asText() + delta.path("text").asText());
        }
        case "thinking_delta" -> {
          require("thinking".equals(blockType), "thinking_delta in a " + blockType + " block");
          openBlock.put("thinking", openBlock.get("thinking").asText() + delta.path("thinking").asText());
        }
        case "signature_delta" -> {
          require("thinking".equals(blockType), "signature_delta in a " + blockType + " block");
          openBlock.put("signature", delta.path("signature").asText());
        }
        case "input_json_delta" -> {
          require("tool_use".equals(blockType), "input_json_delta in a " + blockType + " block");
          require(delta.path("partial_json").isTextual(), "partial_json is a string");
          openJson.append(delta.path("partial_json").asText());
        }
        default -> fail("unknown delta type " + type);
      }
    }

    private void blockStop(JsonNode data) {
      if (openBlock == null) {
        fail("content_block_stop while no block is open");
      }
      requireIndex(data, content.size() - 1);
      if (openJson != null) {
        String json = openJson.toString();
        JsonNode input;
        try {
          input = json.isEmpty() ? JsonNodeFactory.instance.objectNode() : JSON.readTree(json);
        } catch (IOException e) {
          throw new GrammarViolation(i, "the tool input fragments do not parse: " + json);
        }
        require(input != null && input.isObject(), "the tool input is an object: " + json);
        openBlock.set("input", input);
        openJson = null;
      }
      openBlock = null;
    }

    private void messageDelta(JsonNode data) {
      if (usage != null) {
        fail("a second message_delta");
      }
      if (openBlock != null) {
        fail("message_delta while block " + (content.size() - 1) + " is open");
      }
      String reason = data.path("delta").path("stop_reason").asText(null);
      require(STOP_REASONS.contains(reason), "a known stop_reason: " + reason);
      require(data.path("delta").has("stop_sequence"), "delta.stop_sequence is present");
      require(data.path("usage").path("output_tokens").isIntegralNumber(), "usage.output_tokens is a number");
      stopReason = reason;
      usage = data.path("usage");
    }

    private void messageStop() {
      if (usage == null) {
        fail("message_stop without message_delta");
      }
      stopped = true;
    }

    private void error(JsonNode data) {
      if (usage != null) {
        fail("an error after message_delta");
      }
      JsonNode body = data.path("error");
      require(body.path("type").isTextual() && body.path("message").isTextual(),
          "error has a type and a message: " + data);
      error = body;
    }

    private void requireIndex(JsonNode data, int expected) {
      require(data.path("index").isInt() && data.path("index").intValue() == expected,
          "index " + expected + " expected, got " + data.path("index"));
    }

    private void require(boolean condition, String what) {
      if (!condition) {
        fail("expected " + what);
      }
    }

    private void fail(String message) {
      throw new GrammarViolation(i, message);
    }
  }
}
