package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.OpenAiResponder;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.SseStep;
import dev.llmproxy.testing.UpstreamResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coding CLIs themselves, Claude Code (Anthropic Messages), Codex (Responses) and Gemini CLI (Gemini), each
 * pointed at the gateway with a client key of ours, served by one chat-completions provider: the model asks to read a
 * file, the CLI runs its own tool and sends the result back through the gateway, and the answer built from it reaches
 * the CLI's output. So a tool call travels translated both ways, as the real clients send and read it. The CLIs are
 * the versions pinned in {@code .ci/clients/package.json}, which {@code .ci/run} installs ({@code npm ci}); they run
 * with a home directory of their own and no network beyond the gateway.
 */
class CodingClisIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLIENT_KEY = "sk-coding-cli-key-0001";
  private static final Path CLIENTS =
      Path.of(System.getProperty("llmproxy.test.clients", ".ci/clients/node_modules")).toAbsolutePath();

  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["%s"]
      openai-compatibility:
        - name: chat-only
          base-url: %s
          api-key-entries: [{api-key: sk-upstream-chat}]
          models:
            - {name: chat-model, alias: claude-sonnet-4-5}
            - {name: chat-model, alias: claude-haiku-4-5}
            - {name: chat-model, alias: gpt-5}
            - {name: chat-model, alias: gemini-2.5-pro}
            - {name: chat-model, alias: gemini-2.5-flash}
      """.formatted(CLIENT_KEY, upstream.baseUrl()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  @TempDir
  Path work;
  private final FileReadingModel model = new FileReadingModel();
  private String secret;
  private Path notes;

  @BeforeEach
  void aFileWithASecret() throws IOException {
    upstream.respondWith(model);
    secret = "launch-" + UUID.randomUUID().toString().substring(0, 8);
    notes = work.resolve("notes.txt").toAbsolutePath();
    Files.writeString(notes, "The launch code is " + secret + ".\n");
    Files.createDirectories(work.resolve("home"));
  }

  @Test
  void claudeCodeReadsAFileThroughAChatCompletionsProvider() throws Exception {
    Path claude = nativeBinary("@anthropic-ai", "claude-code-linux-", "claude");
    CliRun run = run(List.of(claude.toString(), "-p", prompt(), "--model", "claude-sonnet-4-5",
        "--allowedTools", "Read"), Map.of(
            "ANTHROPIC_BASE_URL", gateway.uri("").toString(),
            "ANTHROPIC_API_KEY", CLIENT_KEY,
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1",
            "DISABLE_AUTOUPDATER", "1"));
    assertAnsweredFromTheFile(run, "Read");
  }

  @Test
  void codexReadsAFileThroughAChatCompletionsProvider() throws Exception {
    Path codexHome = Files.createDirectories(work.resolve("home/.codex"));
    Files.writeString(codexHome.resolve("config.toml"), """
        model = "gpt-5"
        model_provider = "gateway"
        [model_providers.gateway]
        name = "llm-proxy"
        base_url = "%s"
        env_key = "GATEWAY_KEY"
        wire_api = "responses"
        """.formatted(gateway.uri("/v1").toString()));
    CliRun run = run(List.of("node", script("@openai/codex/bin/codex.js").toString(), "exec", "--skip-git-repo-check",
        // Codex's sandbox needs user namespaces the test machine may not give; the command it runs is the test's.
        "--dangerously-bypass-approvals-and-sandbox", prompt()), Map.of(
            "CODEX_HOME", codexHome.toString(),
            "GATEWAY_KEY", CLIENT_KEY));
    assertAnsweredFromTheFile(run, "exec_command");
  }

  @Test
  void geminiCliReadsAFileThroughAChatCompletionsProvider() throws Exception {
    Path settings = Files.createDirectories(work.resolve("home/.gemini"));
    Files.writeString(settings.resolve("settings.json"),
        "{\"security\":{\"auth\":{\"selectedType\":\"gemini-api-key\"}},\"privacy\":{\"usageStatisticsEnabled\":false}}");
    CliRun run = run(List.of("node", script("@google/gemini-cli/bundle/gemini.js").toString(), "-p", prompt(), "-m",
        "gemini-2.5-pro"), Map.of(
            "GOOGLE_GEMINI_BASE_URL", gateway.uri("").toString(),
            "GEMINI_API_KEY", CLIENT_KEY,
            "GEMINI_CLI_NO_RELAUNCH", "true",
            "GEMINI_CLI_TRUST_WORKSPACE", "true"));
    assertAnsweredFromTheFile(run, "read_file");
  }

  private String prompt() {
    return "Read the file " + notes + " and tell me the launch code.";
  }

  private void assertAnsweredFromTheFile(CliRun run, String tool) {
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(List.of(tool), model.toolsCalled, "the model asked for the CLI's own tool once: " + run);
    assertEquals(1, model.toolResults.size(), "one tool result came back through the gateway: " + run);
    String result = model.toolResults.get(0);
    assertTrue(result.contains(secret), "the tool result holds the file's text: " + result);
    // Worded unlike the file, whose text a CLI may print too.
    assertTrue(run.output().contains("Found it: " + secret), "the model's answer reached the CLI: " + run);
    assertTrue(upstream.requests().stream().filter(r -> r.path().endsWith("/chat/completions"))
        .allMatch(r -> "chat-model".equals(r.model()) && "sk-upstream-chat".equals(r.bearerToken())),
        "every request went to the chat provider with its own key");
  }

  /** A platform package's native binary, such as {@code @anthropic-ai/claude-code-linux-x64/claude}. */
  private static Path nativeBinary(String scope, String packagePrefix, String file) throws IOException {
    Path dir = CLIENTS.resolve(scope);
    try (Stream<Path> packages = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
      return packages.filter(p -> p.getFileName().toString().startsWith(packagePrefix))
          .map(p -> p.resolve(file)).filter(Files::isExecutable).findFirst()
          .orElseThrow(() -> notInstalled(dir.resolve(packagePrefix + "*").resolve(file)));
    }
  }

  private static Path script(String relative) {
    Path path = CLIENTS.resolve(relative);
    if (!Files.isRegularFile(path)) {
      throw notInstalled(path);
    }
    return path.toAbsolutePath();
  }

  private static AssertionError notInstalled(Path missing) {
    return new AssertionError(missing.toAbsolutePath() + " is missing: install the coding CLIs with .ci/run, or "
        + "npm ci --prefix .ci/clients (Node.js 20 or later)");
  }

  /** Runs a CLI in the work directory with a clean environment of its own, within two minutes. */
  private CliRun run(List<String> command, Map<String, String> variables) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(work.resolve("cli-output.txt").toFile());
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", System.getenv("PATH"));
    env.put("HOME", work.resolve("home").toString());
    env.put("TERM", "dumb");
    env.putAll(variables);
    Process process = builder.start();
    boolean ended = process.waitFor(2, TimeUnit.MINUTES);
    if (!ended) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(work.resolve("cli-output.txt"), StandardCharsets.UTF_8);
    return new CliRun(ended ? process.exitValue() : -1, output);
  }

  private record CliRun(int exitCode, String output) {
    @Override
    public String toString() {
      return "exit " + exitCode + ", output:\n" + output;
    }
  }

  /**
   * A chat-completions model that knows one trick: asked with one of the coding CLIs' file tools, it calls the tool
   * on the path in the user's message; given the tool's result, it answers with the launch code found there. Other
   * requests (a CLI's own side requests, the model list) get the default fake's answers.
   */
  private final class FileReadingModel implements FakeUpstream.Responder {
    final List<String> toolsCalled = new CopyOnWriteArrayList<>();
    final List<String> toolResults = new CopyOnWriteArrayList<>();
    private final OpenAiResponder others = new OpenAiResponder();

    @Override
    public UpstreamResponse respond(RecordedRequest request) {
      if (!request.path().endsWith("/chat/completions")) {
        return others.respond(request);
      }
      JsonNode body = request.json();
      for (JsonNode message : body.path("messages")) {
        if ("tool".equals(message.path("role").asText())) {
          String result = message.path("content").toString();
          toolResults.add(result);
          int at = result.indexOf("launch-");
          return answer(body, at < 0 ? "The file did not say." : "Found it: " + result.substring(at, at + 15), null);
        }
      }
      for (JsonNode tool : body.path("tools")) {
        String name = tool.path("function").path("name").asText();
        ObjectNode arguments = JSON.createObjectNode();
        switch (name) {
          case "Read", "read_file" -> arguments.put("file_path", notes.toString());
          case "exec_command" -> arguments.put("cmd", "cat " + notes);
          default -> {
            continue;
          }
        }
        toolsCalled.add(name);
        return answer(body, null, JSON.createObjectNode().put("name", name).put("arguments", arguments.toString()));
      }
      return answer(body, "Nothing to read.", null);
    }

    /** Text, or a call of {@code function}, streamed in chunks when the request streams, else one JSON answer. */
    private UpstreamResponse answer(JsonNode request, String text, ObjectNode function) {
      String model = request.path("model").asText();
      ObjectNode message = JSON.createObjectNode().put("role", "assistant");
      if (function != null) {
        ArrayNode calls = message.putArray("tool_calls");
        calls.addObject().put("index", 0).put("id", "call_" + UUID.randomUUID().toString().substring(0, 12))
            .put("type", "function").set("function", function);
      } else {
        message.put("content", text);
      }
      String finish = function != null ? "tool_calls" : "stop";
      ObjectNode usage = JSON.createObjectNode().put("prompt_tokens", 40).put("completion_tokens", 12)
          .put("total_tokens", 52);
      if (!request.path("stream").asBoolean()) {
        ObjectNode completion = JSON.createObjectNode().put("id", "chatcmpl-cli").put("object", "chat.completion")
            .put("created", 1).put("model", model);
        completion.putArray("choices").addObject().put("index", 0).put("finish_reason", finish).set("message", message);
        completion.set("usage", usage);
        return UpstreamResponse.json(completion.toString());
      }
      List<SseStep> steps = new ArrayList<>();
      steps.add(SseStep.data(chunk(model, message, null).toString()));
      steps.add(SseStep.data(chunk(model, JSON.createObjectNode(), finish).toString()));
      ObjectNode last = chunk(model, null, null);
      last.set("usage", usage);
      steps.add(SseStep.data(last.toString()));
      steps.add(SseStep.done());
      return UpstreamResponse.sse(steps);
    }

    private ObjectNode chunk(String model, ObjectNode delta, String finish) {
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
