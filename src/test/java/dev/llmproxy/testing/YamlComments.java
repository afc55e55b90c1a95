package dev.llmproxy.testing;

import java.util.ArrayList;
import java.util.List;

/** The comments of a YAML text, to prove an edit of the file lost none. Stateless. */
public final class YamlComments {
  private YamlComments() {}

  /** Text of every comment, in order, without the leading '#' and surrounding spaces. */
  public static List<String> of(String yaml) {
    List<String> out = new ArrayList<>();
    for (String line : yaml.split("\n")) {
      int hash = line.indexOf(" #");
      if (line.trim().startsWith("#")) {
        out.add(line.trim().substring(1).trim());
      } else if (hash >= 0) {
        out.add(line.substring(hash + 2).trim());
      }
    }
    return out;
  }
}
