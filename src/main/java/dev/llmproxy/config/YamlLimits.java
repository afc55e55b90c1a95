package dev.llmproxy.config;

import org.yaml.snakeyaml.LoaderOptions;

/**
 * The bounds every YAML text is parsed within, the config file at load and everything management
 * reads or writes: at most {@value #MAX_CHARACTERS} characters, lines of at most
 * {@value #MAX_LINE_LENGTH} characters, {@value #MAX_NESTING_DEPTH} levels of nesting and
 * {@value #MAX_ALIASES} aliases, no duplicate keys. A real {@code config.yaml} is a few KiB
 * (CLIProxyAPI's commented example is 48 KiB).
 *
 * <p>Why lines: SnakeYAML 2.5 reads a token (a comment, a plain scalar) by peeking ahead until its end,
 * and each 1 KiB it reads copies the window from the token's start, so one long token costs time
 * quadratic in its length. Measured on the 2-core machine for one management {@code PUT} and the
 * {@code PATCH} after it: a 1 MiB one-line comment 3.4 s and 4.5 s, 4 MiB refused after 2.6 s (and 92 s
 * elsewhere). A line cap bounds every token, which the character cap alone does not: within these
 * bounds the worst file (1 MiB in 63 KiB comment lines) takes ~75 ms to PUT and ~80 ms to PATCH. Stateless.
 */
public final class YamlLimits {
  public static final int MAX_CHARACTERS = 1 << 20;
  public static final int MAX_LINE_LENGTH = 64 * 1024;
  public static final int MAX_NESTING_DEPTH = 20;
  public static final int MAX_ALIASES = 50;

  private YamlLimits() {}

  /** Options for SnakeYAML's safe constructor with these bounds; comments are not kept. */
  public static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setNestingDepthLimit(MAX_NESTING_DEPTH);
    options.setCodePointLimit(MAX_CHARACTERS);
    return options;
  }

  /**
   * Why {@code text} is refused before parsing, or {@code null} when it is within the size and line
   * bounds (the parser enforces nesting and aliases). Linear in the text's length.
   */
  public static String problem(String text) {
    if (text.length() > MAX_CHARACTERS) {
      return "the document has " + text.length() + " characters; at most " + MAX_CHARACTERS + " are accepted";
    }
    int line = 1;
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == '\n') {
        if (i - start > MAX_LINE_LENGTH) {
          return "line " + line + " has " + (i - start) + " characters; lines of at most " + MAX_LINE_LENGTH
              + " are accepted";
        }
        line++;
        start = i + 1;
      }
    }
    return null;
  }
}
