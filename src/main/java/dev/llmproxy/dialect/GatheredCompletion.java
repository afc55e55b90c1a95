package dev.llmproxy.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A chat-completions (or legacy completions) event stream gathered into the one answer it stands for, for a client
 * that asked for no stream from an upstream that streamed anyway: some servers ignore {@code "stream": false}, and a
 * client that asked for JSON cannot read events (Claude Code stops with "the non-streaming request was answered with
 * a stream").
 *
 * <p>Per choice, by its {@code index}: a chat delta's strings are joined ({@code content}, {@code reasoning_content},
 * {@code refusal}, whatever a provider adds), its arrays appended, its objects gathered the same way; identifiers
 * ({@code role}, {@code id}, {@code name}, {@code type}) keep their first value, since providers repeat them rather
 * than send them in pieces; tool calls are put together by their own index ({@link StreamedToolCalls}). A legacy
 * choice's {@code text} and {@code logprobs} are gathered by the same rules; {@code finish_reason} is the last one
 * sent. The answer's {@code id}, {@code model}, {@code created} and other top-level fields are the first chunk's
 * that has them, {@code usage} the last chunk's that has one. Not thread-safe: one per attempt.
 */
public final class GatheredCompletion {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Fields that name something rather than carry text: providers repeat them, so the first value stands. */
  private static final Set<String> IDENTIFIERS = Set.of("role", "id", "name", "type", "index");
  private static final Set<String> CHOICE_FIELDS_OF_THEIR_OWN = Set.of("index", "delta", "finish_reason");
  private static final Set<String> TOOL_CALLS = Set.of("tool_calls");

  private final ObjectNode top = NODES.objectNode();
  private final Map<Integer, Choice> choices = new TreeMap<>();
  private JsonNode usage;
  private boolean legacy;

  /** Adds one chunk of the stream. Chunks that are not objects, and choices that are not, change nothing. */
  public void add(JsonNode chunk) {
    if (!chunk.isObject()) {
      return;
    }
    usage = ChatUsage.latest(chunk, usage);
    for (Iterator<Map.Entry<String, JsonNode>> it = chunk.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (!name.equals("choices") && !name.equals("usage") && !top.has(name) && !field.getValue().isNull()) {
        top.set(name, field.getValue());
      }
    }
    JsonNode list = chunk.path("choices");
    for (int position = 0; position < list.size(); position++) {
      JsonNode choice = list.get(position);
      if (choice.isObject()) {
        choices.computeIfAbsent(StreamedToolCalls.upstreamIndex(choice, position), Choice::new).add(choice);
      }
    }
  }

  /** The gathered answer as the upstream would have sent it whole. */
  public ObjectNode toJson() {
    ObjectNode answer = NODES.objectNode();
    copy(top, "id", answer);
    answer.put("object", legacy || "text_completion".equals(top.path("object").asText()) ? "text_completion"
        : "chat.completion");
    copy(top, "created", answer);
    copy(top, "model", answer);
    ArrayNode list = answer.putArray("choices");
    choices.values().forEach(choice -> list.add(choice.toJson()));
    if (usage != null) {
      answer.set("usage", usage);
    }
    top.fields().forEachRemaining(field -> {
      if (!answer.has(field.getKey())) {
        answer.set(field.getKey(), field.getValue());
      }
    });
    return answer;
  }

  private static void copy(ObjectNode from, String field, ObjectNode to) {
    if (from.has(field)) {
      to.set(field, from.get(field));
    }
  }

  /** One choice as far as its chunks arrived. */
  private final class Choice {
    private final int index;
    private final Fields message = new Fields();
    private final Fields rest = new Fields();
    private final StreamedToolCalls toolCalls = new StreamedToolCalls();
    private JsonNode finishReason = NODES.nullNode();

    Choice(int index) {
      this.index = index;
    }

    void add(JsonNode choice) {
      JsonNode reason = choice.get("finish_reason");
      if (reason != null && !reason.isNull()) {
        finishReason = reason;
      }
      JsonNode delta = choice.get("delta");
      if (delta != null && delta.isObject()) {
        addDelta(delta);
      }
      if (choice.has("text")) {
        legacy = true;
      }
      rest.addAll(choice, CHOICE_FIELDS_OF_THEIR_OWN);
    }

    private void addDelta(JsonNode delta) {
      message.addAll(delta, TOOL_CALLS);
      JsonNode fragments = delta.path("tool_calls");
      for (int position = 0; position < fragments.size(); position++) {
        JsonNode fragment = fragments.get(position);
        if (fragment.isObject()) {
          toolCalls.addFragment(fragment, position);
        }
      }
    }

    JsonNode toJson() {
      ObjectNode choice = NODES.objectNode();
      choice.put("index", index);
      if (!legacy) {
        choice.set("message", message());
      }
      rest.fillIn(choice);
      if (!choice.has("logprobs")) {
        choice.putNull("logprobs");
      }
      choice.set("finish_reason", finishReason);
      return choice;
    }

    private ObjectNode message() {
      ObjectNode whole = NODES.objectNode();
      JsonNode role = message.get("role");
      whole.put("role", role != null && role.isTextual() ? role.textValue() : "assistant");
      JsonNode content = message.get("content");
      if (content != null) {
        whole.set("content", content);
      } else if (toolCalls.calls().isEmpty()) {
        whole.put("content", "");
      } else {
        whole.putNull("content");
      }
      message.fillIn(whole);
      if (!toolCalls.calls().isEmpty()) {
        ArrayNode calls = whole.putArray("tool_calls");
        for (StreamedToolCalls.Call call : toolCalls.calls()) {
          ObjectNode one = calls.addObject();
          if (call.id() != null) {
            one.put("id", call.id());
          }
          one.put("type", "function");
          one.putObject("function").put("name", call.nameOrPlaceholder()).put("arguments", call.arguments());
        }
      }
      return whole;
    }
  }

  /**
   * An object's fields as far as their pieces arrived: strings joined, arrays appended, objects gathered field by
   * field, identifiers and other values kept from their first arrival; {@code null} is no news. Each value is a
   * {@link StringBuilder}, an {@link ArrayNode}, a nested {@code Fields} or a {@link JsonNode} kept as it came.
   */
  private static final class Fields {
    private final Map<String, Object> values = new LinkedHashMap<>();

    /** Adds every field of {@code object} but those in {@code skipped}. */
    void addAll(JsonNode object, Set<String> skipped) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!skipped.contains(field.getKey())) {
          add(field.getKey(), field.getValue());
        }
      }
    }

    void add(String name, JsonNode value) {
      if (value.isNull()) {
        return;
      }
      Object seen = values.get(name);
      if (seen == null) {
        values.put(name, start(name, value));
      } else if (IDENTIFIERS.contains(name)) {
        return;
      } else if (seen instanceof StringBuilder text && value.isTextual()) {
        text.append(value.textValue());
      } else if (seen instanceof ArrayNode items && value.isArray()) {
        items.addAll((ArrayNode) value);
      } else if (seen instanceof Fields fields && value.isObject()) {
        fields.addAll(value, Set.of());
      }
    }

    private static Object start(String name, JsonNode value) {
      if (IDENTIFIERS.contains(name)) {
        return value;
      } else if (value.isTextual()) {
        return new StringBuilder(value.textValue());
      } else if (value.isArray()) {
        return NODES.arrayNode().addAll((ArrayNode) value);
      } else if (value.isObject()) {
        Fields fields = new Fields();
        fields.addAll(value, Set.of());
        return fields;
      }
      return value;
    }

    boolean has(String name) {
      return values.containsKey(name);
    }

    /** The gathered value of {@code name}, or {@code null} when none came. */
    JsonNode get(String name) {
      Object value = values.get(name);
      if (value instanceof StringBuilder text) {
        return NODES.textNode(text.toString());
      } else if (value instanceof Fields fields) {
        return fields.toJson();
      }
      return (JsonNode) value;
    }

    /** Sets each gathered field on {@code target} that it does not have yet. */
    void fillIn(ObjectNode target) {
      for (String name : values.keySet()) {
        if (!target.has(name)) {
          target.set(name, get(name));
        }
      }
    }

    ObjectNode toJson() {
      ObjectNode object = NODES.objectNode();
      fillIn(object);
      return object;
    }
  }
}
