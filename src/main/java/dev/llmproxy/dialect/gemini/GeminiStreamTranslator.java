package dev.llmproxy.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.ChatUsage;
import dev.llmproxy.dialect.EventSink;
import dev.llmproxy.dialect.JsonTrees;
import dev.llmproxy.dialect.StreamTranslator;
import dev.llmproxy.dialect.StreamedToolCalls;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a chat-completions stream into {@code GenerateContentResponse} objects, Gemini's stream (spec §3).
 * Each event is one object with a {@code null} name: the edge frames it as an SSE {@code data:} event
 * ({@code ?alt=sse}) or as the next element of a JSON array.
 *
 * <ul>
 *   <li>Reasoning and text deltas go out as they come, reasoning as {@code thought: true} parts.
 *   <li>A function call goes out once its arguments are complete: when the upstream sends text or reasoning
 *       again, or at the end (another call starting says nothing: some upstreams interleave the fragments of
 *       parallel calls); always in the upstream's order (CLIProxyAPI iterates a map,
 *       so parallel calls come out shuffled). Arguments that are no JSON object make the candidate finish
 *       with {@code MALFORMED_FUNCTION_CALL}.
 *   <li>{@code finish_reason} is remembered, never sent with the chunk that carries it: that chunk's own
 *       delta goes out first (CLIProxyAPI drops the finish reason of a chunk that also carries text), and
 *       the last object, sent by {@link #onEnd} after the usage chunk, holds the remaining calls, the
 *       {@code finishReason} and {@code usageMetadata} (when the upstream reported usage: a count of zero
 *       would tell Gemini CLI the context is empty).
 *   <li>{@link #onFailure} sends {@code {"error":{"code","message","status"}}} as the last element.
 * </ul>
 *
 * Not thread-safe: one instance per streamed response, fed from one thread at a time.
 */
public final class GeminiStreamTranslator implements StreamTranslator {

  /** One upstream choice: its calls (the first {@code sent} of them out already) and finish reason. */
  private static final class Candidate {
    final int index;
    final StreamedToolCalls calls = new StreamedToolCalls();
    int sent;
    String finishReason;
    boolean malformed;

    Candidate(int index) {
      this.index = index;
    }
  }

  private final GeminiContext context;
  private final List<Candidate> candidates = new ArrayList<>(1);
  private JsonNode usage;
  private String upstreamModel;
  private boolean started;
  private boolean ended;
  /** Whether {@link #onEnd} returned: an end that threw part way may still be followed by {@link #onFailure}. */
  private boolean endTold;
  private boolean failed;

  public GeminiStreamTranslator(GeminiContext context) {
    this.context = context;
  }

  @Override
  public void onChunk(JsonNode chunk, EventSink out) {
    requireNotEnded();
    usage = ChatUsage.latest(chunk, usage);
    if (upstreamModel == null && chunk.path("model").isTextual()) {
      upstreamModel = chunk.get("model").textValue();
    }
    ArrayNode emitted = null;
    for (JsonNode choice : chunk.path("choices")) {
      Candidate candidate = candidate(choice.path("index").asInt(0));
      ArrayNode parts = parts(candidate, choice.path("delta"));
      JsonNode finish = choice.get("finish_reason");
      if (finish != null && finish.isTextual()) {
        candidate.finishReason = finish.textValue();
      }
      if (!parts.isEmpty()) {
        emitted = emitted == null ? GeminiResponseJson.NODES.arrayNode() : emitted;
        emitted.add(GeminiResponseJson.candidate(candidate.index, parts, null));
      }
    }
    if (emitted != null) {
      send(GeminiResponseJson.response(context, emitted, null, upstreamModel), out);
    }
  }

  @Override
  public void onEnd(EventSink out) {
    requireNotEnded();
    ended = true;
    if (candidates.isEmpty()) {
      candidates.add(new Candidate(0));
    }
    ArrayNode last = GeminiResponseJson.NODES.arrayNode();
    for (Candidate candidate : candidates) {
      ArrayNode parts = GeminiResponseJson.NODES.arrayNode();
      sendCalls(candidate, parts);
      String finishReason = candidate.malformed ? GeminiResponseJson.MALFORMED_FUNCTION_CALL
          : GeminiResponseJson.finishReason(candidate.finishReason);
      last.add(GeminiResponseJson.candidate(candidate.index, parts, finishReason));
    }
    send(GeminiResponseJson.response(context, last, usage, upstreamModel), out);
    endTold = true;
  }

  @Override
  public void onFailure(int status, String message, EventSink out) {
    if (endTold || failed) {
      throw new IllegalStateException("the stream already ended");
    }
    ended = true;
    failed = true;
    started = true;
    out.event(null, GeminiErrors.body(status, message));
  }

  @Override
  public boolean started() {
    return started;
  }

  /** The parts {@code delta} adds, in upstream order. */
  private ArrayNode parts(Candidate candidate, JsonNode delta) {
    ArrayNode parts = GeminiResponseJson.NODES.arrayNode();
    String reasoning = text(delta, "reasoning_content");
    reasoning = reasoning.isEmpty() ? text(delta, "reasoning") : reasoning;
    String content = text(delta, "content");
    content = content.isEmpty() ? text(delta, "refusal") : content;
    if (!reasoning.isEmpty() || !content.isEmpty()) {
      sendCalls(candidate, parts); // the upstream moved on: the calls before are complete
    }
    if (!reasoning.isEmpty()) {
      parts.add(GeminiResponseJson.textPart(reasoning, true));
    }
    if (!content.isEmpty()) {
      parts.add(GeminiResponseJson.textPart(content, false));
    }
    JsonNode fragments = delta.path("tool_calls");
    // A new call does not complete the ones before: an upstream may interleave the fragments of parallel calls.
    for (int position = 0; position < fragments.size(); position++) {
      candidate.calls.addFragment(fragments.get(position), position);
    }
    return parts;
  }

  /** Adds the {@code functionCall} parts of the calls not sent yet. */
  private void sendCalls(Candidate candidate, ArrayNode parts) {
    List<StreamedToolCalls.Call> calls = candidate.calls.calls();
    for (; candidate.sent < calls.size(); candidate.sent++) {
      StreamedToolCalls.Call call = calls.get(candidate.sent);
      String id = call.id() == null ? context.callId(candidate.index, candidate.sent) : call.id();
      ObjectNode part = GeminiResponseJson.functionCallPart(id, call.nameOrPlaceholder(), call.arguments());
      if (part == null) {
        candidate.malformed = true;
      } else {
        parts.add(part);
      }
    }
  }

  private Candidate candidate(int index) {
    for (Candidate candidate : candidates) {
      if (candidate.index == index) {
        return candidate;
      }
    }
    Candidate candidate = new Candidate(index);
    candidates.add(candidate);
    return candidate;
  }

  private void send(ObjectNode response, EventSink out) {
    started = true;
    out.event(null, JsonTrees.bytes(response));
  }

  private void requireNotEnded() {
    if (ended) {
      throw new IllegalStateException("the stream already ended");
    }
  }

  private static String text(JsonNode parent, String field) {
    JsonNode value = parent.get(field);
    return value != null && value.isTextual() ? value.textValue() : "";
  }
}
