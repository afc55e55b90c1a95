package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.it.CodingCli.CliRun;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.OpenAiResponder;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.SseStep;
import dev.llmproxy.testing.UpstreamResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coding CLIs themselves, Claude Code (Anthropic Messages), Codex (Responses) and Gemini CLI (Gemini), each
 * pointed at the gateway with a client key of ours, served by one chat-completions provider: the model calls the CLI's
 * own file tool on two files at once (streamed in pieces after some reasoning, as reasoning models stream them), the
 * CLI runs both and sends the calls and their results back through the gateway, each result naming its call (in the
 * order the tools finished, which may not be the calls'), and the answer built from them reaches the CLI's output.
 * So parallel tool calls travel translated both ways, as the real clients send and read them, and each exchange is
 * counted in the usage with the provider's tokens. A provider's refusal of a prompt as too long reaches each CLI as
 * its own API says it, and so does a stream cut midway, so each CLI knows what happened. {@link CodingCli} runs them.
 */
class CodingClisIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLIENT_KEY = "sk-coding-cli-key-0001";
  private static final String MANAGEMENT_KEY = "mgmt-secret-0000000006";
  private static final String REASONING = "The user names two files; reading both at once is quickest.";
  private static final String HALF_ANSWER = "The first half of an answer";
  private static final String WHOLE_ANSWER = "The whole answer, at last.";
  private static final String CONTEXT_LENGTH_MESSAGE =
      "This model's maximum context length is 8192 tokens; your messages resulted in 9120 tokens";
  /** {@code launch-} and 8 hex digits. */
  private static final int SECRET_LENGTH = 15;

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["%s"]
      remote-management: {secret-key: "%s"}
      openai-compatibility:
        - name: chat-only
          base-url: %s
          api-key-entries: [{api-key: sk-upstream-chat-1}, {api-key: sk-upstream-chat-2}]
          models:
            - {name: chat-model, alias: claude-sonnet-4-5}
            - {name: chat-model, alias: claude-haiku-4-5}
            - {name: chat-model, alias: gpt-5}
            - {name: chat-model, alias: gemini-2.5-pro}
            - {name: chat-model, alias: gemini-2.5-flash}
      """.formatted(CLIENT_KEY, MANAGEMENT_KEY, upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  @TempDir
  Path work;
  private final FileReadingModel model = new FileReadingModel();
  private final List<String> secrets = new ArrayList<>();
  private final List<Path> files = new ArrayList<>();

  @BeforeEach
  void twoFilesWithASecretEach() throws IOException {
    upstream.respondWith(model);
    GatewayClient management = new GatewayClient(gateway, MANAGEMENT_KEY);
    management.send(management.request("/v0/management/usage").DELETE().build()); // a new counting period
    for (String name : List.of("first.txt", "second.txt")) {
      String secret = "launch-" + UUID.randomUUID().toString().substring(0, 8);
      Path file = work.resolve(name).toAbsolutePath();
      Files.writeString(file, "The launch code is " + secret + ".\n");
      secrets.add(secret);
      files.add(file);
    }
  }

  @Test
  void claudeCodeReadsTwoFilesThroughAChatCompletionsProvider() throws Exception {
    assertAnsweredFromTheFiles(claudeCode(prompt()), "Read");
  }

  @Test
  void codexReadsTwoFilesThroughAChatCompletionsProvider() throws Exception {
    assertAnsweredFromTheFiles(codex(prompt()), "exec_command");
  }

  @Test
  void geminiCliReadsTwoFilesThroughAChatCompletionsProvider() throws Exception {
    assertAnsweredFromTheFiles(geminiCli(prompt()), "read_file");
  }

  /*
   * A provider's refusal reaches each CLI in its own API's words, so the CLI knows it: a chat-completions 400
   * context_length_exceeded is a prompt too long to Claude Code, a full context window to Codex, and Gemini CLI shows
   * the provider's message. Asked once: a request the provider refused as too long is not sent again.
   */

  @Test
  void claudeCodeKnowsAProvidersContextLengthRefusal() throws Exception {
    CliRun run = claudeCode(refusedForLength());
    assertTrue(run.exitCode() != 0 && run.output().contains("Prompt is too long")
        && run.output().contains(CONTEXT_LENGTH_MESSAGE), run.toString());
    assertAskedOnce();
  }

  @Test
  void codexKnowsAProvidersContextLengthRefusal() throws Exception {
    CliRun run = codex(refusedForLength());
    assertTrue(run.exitCode() != 0 && run.output().contains("ran out of room in the model's context window"),
        run.toString());
    assertAskedOnce();
  }

  @Test
  void geminiCliShowsAProvidersContextLengthRefusal() throws Exception {
    CliRun run = geminiCli(refusedForLength());
    assertTrue(run.exitCode() != 0 && run.output().contains(CONTEXT_LENGTH_MESSAGE), run.toString());
    assertAskedOnce();
  }

  /*
   * A stream the provider cuts midway, after its first event reached the CLI: the gateway cannot fail over any more
   * and ends the stream as an error in the CLI's own API, so the CLI knows the answer is incomplete and asks again.
   * Claude Code (falling back to a request without streaming) and Codex print only the whole answer; Gemini CLI
   * prints text as it arrives, so the cut half stays on its output before the whole answer.
   */

  @Test
  void claudeCodeAsksAgainWhenAStreamIsCutMidway() throws Exception {
    CliRun run = claudeCode(cutOnce());
    assertRecovered(run);
    assertFalse(run.stdout().contains(HALF_ANSWER), run.toString());
  }

  @Test
  void codexAsksAgainWhenAStreamIsCutMidway() throws Exception {
    CliRun run = codex(cutOnce());
    assertRecovered(run);
    assertFalse(run.stdout().contains(HALF_ANSWER), run.toString());
  }

  @Test
  void geminiCliAsksAgainWhenAStreamIsCutMidway() throws Exception {
    assertRecovered(geminiCli(cutOnce()));
  }

  /**
   * Makes the provider cut its first chat answer a moment after one chunk (so the chunk is surely relayed first) and
   * answer in full after that; the prompt.
   */
  private String cutOnce() {
    AtomicBoolean cut = new AtomicBoolean();
    upstream.respondWith(request -> !request.path().endsWith("/chat/completions") ? new OpenAiResponder().respond(request)
        : cut.compareAndSet(false, true) ? UpstreamResponse.sse(SseStep.chunk(request.model(), HALF_ANSWER),
            SseStep.sleep(Duration.ofMillis(300)), SseStep.abort())
        : model.answer(request.json(), WHOLE_ANSWER, List.of()));
    return "Hello";
  }

  private void assertRecovered(CliRun run) {
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.stdout().contains(WHOLE_ANSWER), run.toString());
    assertEquals(2, chatRequests().count(),
        "the cut request and the CLI's own retry: " + upstream.requests());
  }

  /** Makes the provider refuse every chat request as too long; the prompt to send. */
  private String refusedForLength() {
    upstream.respondWith(request -> request.path().endsWith("/chat/completions")
        ? UpstreamResponse.json(400, OpenAiBodies.error("invalid_request_error", CONTEXT_LENGTH_MESSAGE,
            "context_length_exceeded"))
        : new OpenAiResponder().respond(request));
    return "Hello";
  }

  private void assertAskedOnce() {
    assertEquals(1, chatRequests().count(),
        "the refused request was not sent again: " + upstream.requests());
  }

  private CliRun claudeCode(String prompt) throws Exception {
    return CodingCli.CLAUDE_CODE.ask(work, root(), CLIENT_KEY, "claude-sonnet-4-5", prompt);
  }

  private CliRun codex(String prompt) throws Exception {
    return CodingCli.CODEX.ask(work, root(), CLIENT_KEY, "gpt-5", prompt);
  }

  private CliRun geminiCli(String prompt) throws Exception {
    return CodingCli.GEMINI_CLI.ask(work, root(), CLIENT_KEY, "gemini-2.5-pro", prompt);
  }

  /** What reached the provider's chat completions (not the model list). */
  private static Stream<RecordedRequest> chatRequests() {
    return upstream.requests().stream().filter(r -> r.path().endsWith("/chat/completions"));
  }

  private static String root() {
    return gateway.baseUrl();
  }

  private String prompt() {
    return "Read the files " + files.get(0) + " and " + files.get(1) + " and tell me both launch codes.";
  }

  private void assertAnsweredFromTheFiles(CliRun run, String tool) throws InterruptedException {
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(List.of(tool, tool), model.toolsCalled, "the model called the CLI's own tool twice at once: " + run);
    assertEquals(2, model.toolResults.size(), "both results came back through the gateway: " + run);
    for (JsonNode result : model.toolResults) {
      int call = model.callIds.indexOf(result.path("tool_call_id").asText());
      assertTrue(call >= 0, "each result names one of the model's calls " + model.callIds + ": " + result);
      assertTrue(result.path("content").toString().contains(secrets.get(call)), "with its file's text: " + result);
    }
    assertEquals(1, model.assistantTurns.size(), "the calls came back as one assistant turn: " + model.assistantTurns);
    JsonNode turn = model.assistantTurns.get(0);
    assertEquals(model.callIds, turn.findValuesAsText("id"), "with the model's own call ids: " + turn);
    assertTrue(turn.path("reasoning_content").isMissingNode(),
        "without the reasoning, which chat upstreams such as DeepSeek refuse in the input: " + turn);
    assertUsageCounted();
    // Worded unlike the files, whose text a CLI may print too.
    assertTrue(run.stdout().contains("Found them: " + secrets.get(0) + ", " + secrets.get(1)),
        "the model's answer reached the CLI: " + run);
    assertTrue(chatRequests()
        .allMatch(r -> "chat-model".equals(r.model()) && r.bearerToken().startsWith("sk-upstream-chat-")),
        "every request went to the chat provider with its own keys");
  }

  /**
   * The usage the operator bills by: every exchange the CLI made counted for our client key, succeeded, with the
   * tokens the provider reported (40 + 12 each), though the CLI asked in its own dialect and mostly streamed.
   */
  private void assertUsageCounted() throws InterruptedException {
    long exchanges = chatRequests().count();
    List<Long> expected = List.of(exchanges, exchanges, 52 * exchanges);
    // A stream is counted as it ends, which may be a moment after the CLI read its last event and left.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    JsonNode usage = usage();
    while (!counted(usage).equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      usage = usage();
    }
    assertEquals(expected, counted(usage), "requests, succeeded and tokens counted for " + exchanges
        + " exchanges: " + usage);
  }

  private static JsonNode usage() {
    try {
      return JSON.readTree(new GatewayClient(gateway, MANAGEMENT_KEY).get("/v0/management/usage").body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Requests, succeeded and total tokens of our client key, all models together. */
  private static List<Long> counted(JsonNode usage) {
    long requests = 0;
    long succeeded = 0;
    long tokens = 0;
    for (JsonNode client : usage.path("clients")) {
      assertEquals("key sk-c...0001", client.path("client").asText(), "only our client key counted: " + usage);
      for (JsonNode row : client.path("models")) {
        requests += row.path("requests").asLong();
        succeeded += row.path("succeeded").asLong();
        tokens += row.path("total-tokens").asLong();
      }
    }
    return List.of(requests, succeeded, tokens);
  }

  /**
   * A chat-completions model that knows one trick: asked with one of the coding CLIs' file tools, it calls the tool
   * on each of the two files the user names, both calls in one answer; given the tools' results, it answers with the
   * launch codes found there, in the order the results came. Other requests (a CLI's own side requests, the model
   * list) get the default fake's answers.
   */
  private final class FileReadingModel implements FakeUpstream.Responder {
    final List<String> toolsCalled = new CopyOnWriteArrayList<>();
    final List<String> callIds = new CopyOnWriteArrayList<>();
    /** Each tool message that came back: its {@code tool_call_id} and content. */
    final List<JsonNode> toolResults = new CopyOnWriteArrayList<>();
    /** The assistant messages the CLI sent back with the results: the model's own calls, as it made them. */
    final List<JsonNode> assistantTurns = new CopyOnWriteArrayList<>();
    private final OpenAiResponder others = new OpenAiResponder();

    @Override
    public UpstreamResponse respond(RecordedRequest request) {
      if (!request.path().endsWith("/chat/completions")) {
        return others.respond(request);
      }
      JsonNode body = request.json();
      Map<String, String> resultsByCall = new HashMap<>();
      for (JsonNode message : body.path("messages")) {
        if ("tool".equals(message.path("role").asText())) {
          toolResults.add(message);
          resultsByCall.put(message.path("tool_call_id").asText(), message.path("content").toString());
        }
      }
      if (!resultsByCall.isEmpty()) {
        for (JsonNode message : body.path("messages")) {
          if ("assistant".equals(message.path("role").asText())) {
            assistantTurns.add(message);
          }
        }
        // In the order of the calls, each code read from the result that names the call: a CLI may send the results
        // in the order its tools finished.
        List<String> found = new ArrayList<>();
        for (String id : callIds) {
          String content = resultsByCall.getOrDefault(id, "");
          int at = content.indexOf("launch-");
          found.add(at < 0 ? "(none)" : content.substring(at, at + SECRET_LENGTH));
        }
        return answer(body, "Found them: " + String.join(", ", found), List.of());
      }
      for (JsonNode tool : body.path("tools")) {
        String name = tool.path("function").path("name").asText();
        if (!List.of("Read", "read_file", "exec_command").contains(name)) {
          continue;
        }
        List<ObjectNode> calls = new ArrayList<>();
        for (Path file : files) {
          ObjectNode arguments = JSON.createObjectNode();
          if (name.equals("exec_command")) {
            arguments.put("cmd", "cat " + file);
          } else {
            arguments.put("file_path", file.toString());
          }
          String id = "call_" + UUID.randomUUID().toString().substring(0, 12);
          toolsCalled.add(name);
          callIds.add(id);
          ObjectNode call = JSON.createObjectNode().put("index", calls.size()).put("id", id).put("type", "function");
          call.putObject("function").put("name", name).put("arguments", arguments.toString());
          calls.add(call);
        }
        return answer(body, null, calls);
      }
      return answer(body, "Nothing to read.", List.of());
    }

    /** Text, or {@code calls}, streamed in pieces when the request streams, else one JSON answer. */
    private UpstreamResponse answer(JsonNode request, String text, List<ObjectNode> calls) {
      String model = request.path("model").asText();
      String finish = calls.isEmpty() ? "stop" : "tool_calls";
      ObjectNode usage = JSON.createObjectNode().put("prompt_tokens", 40).put("completion_tokens", 12)
          .put("total_tokens", 52);
      if (!request.path("stream").asBoolean()) {
        ObjectNode message = JSON.createObjectNode().put("role", "assistant");
        if (calls.isEmpty()) {
          message.put("content", text);
        } else {
          calls.forEach(message.putArray("tool_calls")::add);
        }
        ObjectNode completion = JSON.createObjectNode().put("id", "chatcmpl-cli").put("object", "chat.completion")
            .put("created", 1).put("model", model);
        completion.putArray("choices").addObject().put("index", 0).put("finish_reason", finish).set("message", message);
        completion.set("usage", usage);
        return UpstreamResponse.json(completion.toString());
      }
      List<SseStep> steps = new ArrayList<>();
      steps.add(SseStep.data(chunk(model, JSON.createObjectNode().put("role", "assistant").put("content", ""), null)));
      if (!calls.isEmpty()) {
        // Reasoning first, as DeepSeek's and vLLM's reasoning models stream it: the CLI shows or keeps it.
        for (String part : thirds(REASONING)) {
          steps.add(SseStep.data(chunk(model, JSON.createObjectNode().put("reasoning_content", part), null)));
        }
      }
      if (calls.isEmpty()) {
        for (String part : thirds(text)) {
          steps.add(SseStep.data(chunk(model, JSON.createObjectNode().put("content", part), null)));
        }
      }
      for (ObjectNode call : calls) {
        // As vLLM and most providers stream a call: its id and name first, then its arguments in parts.
        ObjectNode head = call.deepCopy();
        ((ObjectNode) head.get("function")).put("arguments", "");
        steps.add(SseStep.data(chunk(model, toolCallDelta(head), null)));
        for (String part : thirds(call.at("/function/arguments").asText())) {
          ObjectNode fragment = JSON.createObjectNode().put("index", call.get("index").asInt());
          fragment.putObject("function").put("arguments", part);
          steps.add(SseStep.data(chunk(model, toolCallDelta(fragment), null)));
        }
      }
      steps.add(SseStep.data(chunk(model, JSON.createObjectNode(), finish)));
      ObjectNode last = chunkNode(model, null, null);
      last.set("usage", usage);
      steps.add(SseStep.data(last.toString()));
      steps.add(SseStep.done());
      return UpstreamResponse.sse(steps);
    }

    private static List<String> thirds(String text) {
      int step = Math.max(1, (text.length() + 2) / 3);
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < text.length(); i += step) {
        parts.add(text.substring(i, Math.min(text.length(), i + step)));
      }
      return parts;
    }

    private static ObjectNode toolCallDelta(ObjectNode call) {
      ObjectNode delta = JSON.createObjectNode();
      delta.putArray("tool_calls").add(call);
      return delta;
    }

    private static String chunk(String model, ObjectNode delta, String finish) {
      return chunkNode(model, delta, finish).toString();
    }

    private static ObjectNode chunkNode(String model, ObjectNode delta, String finish) {
      ObjectNode chunk = JSON.createObjectNode().put("id", "chatcmpl-cli").put("object", "chat.completion.chunk")
          .put("created", 1).put("model", model);
      ArrayNode choices = chunk.putArray("choices");
      if (delta != null) {
        ObjectNode choice = choices.addObject().put("index", 0);
        choice.set("delta", delta);
        if (finish == null) {
          choice.putNull("finish_reason");
        } else {
          choice.put("finish_reason", finish);
        }
      }
      return chunk;
    }
  }
}
