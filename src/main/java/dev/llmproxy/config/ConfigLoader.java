package dev.llmproxy.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Turns {@code config.yaml} into a {@link GatewayConfig}: read, parse safely (no YAML tag can create
 * classes) within {@link YamlLimits}, substitute {@code ${ENV}}, bind with paths, then fail once with
 * every problem. Stateless.
 */
public final class ConfigLoader {
  private final Function<String, String> env;

  public ConfigLoader(Function<String, String> env) {
    this.env = env;
  }

  public static ConfigLoader withSystemEnvironment() {
    return new ConfigLoader(System::getenv);
  }

  public GatewayConfig load(Path file) throws ConfigException {
    return parse(read(file), file.toString(), file.toAbsolutePath().getParent());
  }

  /** Reads the file as UTF-8; a missing or unreadable file becomes a {@link ConfigException} naming it. */
  public static String read(Path file) throws ConfigException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), List.of("file not found"));
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of("cannot be read: " + e.getClass().getSimpleName()));
    }
  }

  /**
   * Parses YAML text; {@code source} names it in messages (a path, or "request body"). Relative file paths
   * in it ({@code upstream.trust-store}) are resolved against the working directory.
   */
  public GatewayConfig parse(String text, String source) throws ConfigException {
    return parse(text, source, null);
  }

  /** Like {@link #parse(String, String)}, resolving relative file paths against {@code baseDir}. */
  public GatewayConfig parse(String text, String source, Path baseDir) throws ConfigException {
    return bind(parseYaml(text, source), source, baseDir);
  }

  /**
   * Like {@link #parse(String, String, Path)} for a tree {@link #parseYaml} made already, for a caller that reads the
   * tree itself too: the text is parsed once.
   */
  public GatewayConfig bind(Object tree, String source, Path baseDir) throws ConfigException {
    ConfigProblems problems = new ConfigProblems();
    Object substituted = new EnvSubstitution(env, problems).apply("", tree);
    GatewayConfig config = new ConfigBinder(problems, baseDir).bind(substituted);
    if (!problems.errors().isEmpty()) {
      throw new ConfigException(source, problems.errors());
    }
    return config;
  }

  /** Parses YAML into plain maps and lists; a syntax error becomes a {@link ConfigException} with line and column. */
  public static Object parseYaml(String text, String source) throws ConfigException {
    String tooLarge = YamlLimits.problem(text);
    if (tooLarge != null) {
      throw new ConfigException(source, List.of(tooLarge));
    }
    try {
      return new Yaml(new SafeConstructor(YamlLimits.loaderOptions())).load(text);
    } catch (MarkedYAMLException e) {
      String where = e.getProblemMark() == null ? ""
          : "line " + (e.getProblemMark().getLine() + 1) + ", column " + (e.getProblemMark().getColumn() + 1) + ": ";
      throw new ConfigException(source, List.of("invalid YAML: " + where + e.getProblem()));
    } catch (YAMLException e) {
      throw new ConfigException(source, List.of("invalid YAML: " + e.getMessage()));
    }
  }
}
