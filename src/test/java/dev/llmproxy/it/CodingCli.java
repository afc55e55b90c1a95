package dev.llmproxy.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The coding CLIs users point at the gateway, run headless the way a script would: Claude Code (Anthropic Messages),
 * Codex (Responses) and Gemini CLI (Gemini). They are the versions pinned in {@code .ci/clients/package.json}, which
 * {@code .ci/run} installs with {@code npm ci}; each run gets a clean environment and a home directory of its own in
 * the work directory, and is told to reach nothing but the gateway. Stateless.
 */
enum CodingCli {
  CLAUDE_CODE {
    @Override
    CliRun ask(Path work, String root, String key, String model, String prompt) throws Exception {
      Path claude = nativeBinary("@anthropic-ai", "claude-code-linux-", "claude");
      return run(work, List.of(claude.toString(), "-p", prompt, "--model", model, "--allowedTools", "Read"), Map.of(
          "ANTHROPIC_BASE_URL", root,
          "ANTHROPIC_API_KEY", key,
          "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1",
          "DISABLE_AUTOUPDATER", "1"));
    }
  },
  CODEX {
    @Override
    CliRun ask(Path work, String root, String key, String model, String prompt) throws Exception {
      Path codexHome = Files.createDirectories(work.resolve("home/.codex"));
      Files.writeString(codexHome.resolve("config.toml"), """
          model = "%s"
          model_provider = "gateway"
          [model_providers.gateway]
          name = "llm-proxy"
          base_url = "%s/v1"
          env_key = "GATEWAY_KEY"
          wire_api = "responses"
          """.formatted(model, root));
      return run(work, List.of("node", script("@openai/codex/bin/codex.js").toString(), "exec",
          "--skip-git-repo-check",
          // Codex's sandbox needs user namespaces the test machine may not give; the commands it runs are the test's.
          "--dangerously-bypass-approvals-and-sandbox", prompt), Map.of(
              "CODEX_HOME", codexHome.toString(),
              "GATEWAY_KEY", key));
    }
  },
  GEMINI_CLI {
    @Override
    CliRun ask(Path work, String root, String key, String model, String prompt) throws Exception {
      Path settings = Files.createDirectories(work.resolve("home/.gemini"));
      Files.writeString(settings.resolve("settings.json"),
          "{\"security\":{\"auth\":{\"selectedType\":\"gemini-api-key\"}},\"privacy\":{\"usageStatisticsEnabled\":false}}");
      return run(work, List.of("node", script("@google/gemini-cli/bundle/gemini.js").toString(), "-p", prompt, "-m",
          model), Map.of(
              "GOOGLE_GEMINI_BASE_URL", root,
              "GEMINI_API_KEY", key,
              "GEMINI_CLI_NO_RELAUNCH", "true",
              "GEMINI_CLI_TRUST_WORKSPACE", "true"));
    }
  };

  private static final Path CLIENTS =
      Path.of(System.getProperty("llmproxy.test.clients", ".ci/clients/node_modules")).toAbsolutePath();

  /**
   * Asks {@code prompt} once, headless, within two minutes.
   *
   * @param work the working directory (the CLI's tools act in it; its home is {@code work/home})
   * @param root the gateway's root URL, context path included, without a trailing slash
   * @param key the client key the CLI sends
   * @param model the model id the CLI asks for
   */
  abstract CliRun ask(Path work, String root, String key, String model, String prompt) throws Exception;

  /** How a CLI ended: the answer is on {@code stdout}; warnings and, for some, errors on {@code stderr}. */
  record CliRun(int exitCode, String stdout, String stderr) {
    /** Both, for what a CLI may say on either. */
    String output() {
      return stdout + "\n" + stderr;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + ", stdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
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
    return path;
  }

  private static AssertionError notInstalled(Path missing) {
    return new AssertionError(missing + " is missing: install the coding CLIs with .ci/run, or "
        + "npm ci --prefix .ci/clients (Node.js 20 or later)");
  }

  private static CliRun run(Path work, List<String> command, Map<String, String> variables) throws Exception {
    Files.createDirectories(work.resolve("home"));
    Path out = work.resolve("cli-stdout.txt");
    Path err = work.resolve("cli-stderr.txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile()).redirectError(err.toFile());
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
    return new CliRun(ended ? process.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
