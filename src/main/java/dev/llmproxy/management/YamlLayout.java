package dev.llmproxy.management;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts back layout that SnakeYAML's emitter cannot keep, by moving whitespace and comment lines only:
 * a comment above a list item goes back above its dash (the emitter writes {@code - } and then the
 * comment), and an inline comment gets back the column it had in the original file (the emitter
 * writes one space before {@code #}). The caller re-reads the result and falls back to the emitter's
 * text if it ever differs in value. Stateless.
 */
final class YamlLayout {
  private static final Pattern BARE_DASH = Pattern.compile("^(\\s*)-\\s*$");
  private static final Pattern DASH_COMMENT = Pattern.compile("^(\\s*)- (#.*)$");
  private static final Pattern COMMENT_LINE = Pattern.compile("^\\s*#.*$");
  /** {@code indent key-or-dash ... # comment}: group 1 = line up to the comment, group 2 = comment text. */
  private static final Pattern INLINE = Pattern.compile("^(\\s*\\S.*?)\\s+#(.*)$");

  private YamlLayout() {}

  static String restore(String original, String rendered) {
    return restoreCommentLines(original, realignInlineComments(original, liftDashComments(rendered)));
  }

  /**
   * Gives each whole-line comment the indentation it had in the original file, and the blank line
   * that preceded it there (the emitter drops a blank line before a list item's comment).
   */
  static String restoreCommentLines(String original, String text) {
    Map<String, String> originalLine = new HashMap<>();
    Map<String, Boolean> blankBefore = new HashMap<>();
    String[] before = original.split("\n", -1);
    for (int i = 0; i < before.length; i++) {
      if (COMMENT_LINE.matcher(before[i]).matches()) {
        originalLine.putIfAbsent(before[i].strip(), before[i]);
        blankBefore.putIfAbsent(before[i].strip(), i > 0 && before[i - 1].isBlank());
      }
    }
    String[] lines = text.split("\n", -1);
    List<String> out = new ArrayList<>(lines.length);
    for (String line : lines) {
      String known = COMMENT_LINE.matcher(line).matches() ? originalLine.get(line.strip()) : null;
      if (known == null) {
        out.add(line);
        continue;
      }
      boolean previousBlank = !out.isEmpty() && out.get(out.size() - 1).isBlank();
      if (blankBefore.get(line.strip()) && !previousBlank && !out.isEmpty() && !COMMENT_LINE.matcher(out.get(out.size() - 1)).matches()) {
        out.add("");
      }
      out.add(known);
    }
    return String.join("\n", out);
  }

  /**
   * {@code - }, comment lines, {@code key: v} becomes comment lines, {@code - key: v}; so does
   * {@code - # comment} (how the emitter writes the end comments of the item before).
   */
  static String liftDashComments(String text) {
    String[] lines = text.split("\n", -1);
    List<String> out = new ArrayList<>(lines.length);
    for (int i = 0; i < lines.length; i++) {
      Matcher dash = BARE_DASH.matcher(lines[i]);
      Matcher dashComment = DASH_COMMENT.matcher(lines[i]);
      boolean bare = dash.matches();
      if (!bare && !dashComment.matches()) {
        out.add(lines[i]);
        continue;
      }
      int j = i + 1;
      while (j < lines.length && (COMMENT_LINE.matcher(lines[j]).matches() || lines[j].isBlank())) {
        j++;
      }
      if ((!bare || j > i + 1) && j < lines.length && !lines[j].isBlank()) {
        String indent = bare ? dash.group(1) : dashComment.group(1);
        if (!bare) {
          out.add(indent + dashComment.group(2));
        }
        for (int k = i + 1; k < j; k++) {
          out.add(lines[k].isBlank() ? "" : indent + lines[k].strip());
        }
        out.add(indent + "- " + lines[j].strip());
        i = j;
      } else {
        out.add(lines[i]);
      }
    }
    return String.join("\n", out);
  }

  /**
   * For each inline comment, finds the original line with the same comment and the same key (or the
   * same whole content) and puts the {@code #} in the original column when the content still fits.
   */
  static String realignInlineComments(String original, String text) {
    Map<String, Integer> columnByContent = new HashMap<>();
    Map<String, Integer> columnByKey = new HashMap<>();
    for (String line : original.split("\n", -1)) {
      Matcher m = INLINE.matcher(line);
      if (m.matches() && !COMMENT_LINE.matcher(line).matches()) {
        int column = line.length() - m.group(2).length() - 1;
        columnByContent.putIfAbsent(m.group(1) + "#" + m.group(2), column);
        columnByKey.putIfAbsent(key(m.group(1)) + "#" + m.group(2), column);
      }
    }
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher m = INLINE.matcher(lines[i]);
      if (!m.matches() || COMMENT_LINE.matcher(lines[i]).matches()) {
        continue;
      }
      Integer column = columnByContent.get(m.group(1) + "#" + m.group(2));
      if (column == null) {
        column = columnByKey.get(key(m.group(1)) + "#" + m.group(2));
      }
      if (column != null && column > m.group(1).length()) {
        lines[i] = m.group(1) + " ".repeat(column - m.group(1).length()) + "#" + m.group(2);
      }
    }
    return String.join("\n", lines);
  }

  /** The line's indentation and key ({@code   - api-key:}), or the whole content when it has no key. */
  private static String key(String content) {
    int colon = content.indexOf(": ");
    return colon < 0 ? content : content.substring(0, colon + 1);
  }
}
