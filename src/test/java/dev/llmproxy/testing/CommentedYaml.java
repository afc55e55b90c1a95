package dev.llmproxy.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Example config files document optional keys as commented-out YAML ({@code # debug: false}, or a
 * commented block under {@code # routing:}). This uncomments every such top-level block, so a test can
 * load what a user gets after uncommenting them. Nested commented keys (inside an active block) stay
 * comments: their values are often prose. Stateless.
 */
public final class CommentedYaml {
  /** {@code # key: value} at the start of a line: a commented top-level key. */
  private static final Pattern TOP_LEVEL_KEY = Pattern.compile("^# [a-z][a-z0-9-]*:( .*)?$");
  /** The lines of a commented block: {@code #   nested: v} or {@code #  - item}. */
  private static final Pattern BLOCK_LINE = Pattern.compile("^#(   |  -).*$");

  private CommentedYaml() {}

  /** {@code yaml} with each commented top-level key, and the commented lines nested under it, uncommented. */
  public static String uncommentTopLevelBlocks(String yaml) {
    String[] lines = yaml.split("\n", -1);
    List<String> out = new ArrayList<>(lines.length);
    for (int i = 0; i < lines.length; i++) {
      if (!TOP_LEVEL_KEY.matcher(lines[i]).matches()) {
        out.add(lines[i]);
        continue;
      }
      out.add(lines[i].substring(2));
      while (i + 1 < lines.length && BLOCK_LINE.matcher(lines[i + 1]).matches()) {
        out.add(lines[++i].substring(2));
      }
    }
    return String.join("\n", out);
  }

  /** The top-level keys {@link #uncommentTopLevelBlocks} uncomments, in order. */
  public static List<String> commentedTopLevelKeys(String yaml) {
    List<String> keys = new ArrayList<>();
    for (String line : yaml.split("\n")) {
      if (TOP_LEVEL_KEY.matcher(line).matches()) {
        keys.add(line.substring(2, line.indexOf(':')));
      }
    }
    return keys;
  }
}
