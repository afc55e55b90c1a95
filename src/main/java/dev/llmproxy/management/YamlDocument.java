package dev.llmproxy.management;

import dev.llmproxy.config.YamlLimits;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.comments.CommentLine;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * One {@code config.yaml} as SnakeYAML's comment-carrying node tree. {@link #render} writes a new plain
 * value tree back through {@link YamlNodeMerger}, so comments, key order, quoting and {@code ${ENV}}
 * text of every untouched value survive; the result is re-read and compared with the intended value
 * before anyone may write it. Not thread-safe; one instance per edit.
 */
final class YamlDocument {
  /** The file's text as it is. */
  private final String original;
  /** The same without a byte order mark and with LF line ends, which the layout is restored from. */
  private final String text;
  private final Node root;

  private YamlDocument(String original, String text, Node root) {
    this.original = original;
    this.text = text;
    this.root = root;
  }

  /** Composes {@code text}; throws {@link YAMLException} when it is not a single YAML document. */
  static YamlDocument parse(String original) {
    String text = FileConventions.plain(original);
    return new YamlDocument(original, text, compose(text));
  }

  /**
   * The comment-carrying node tree of {@code text} exactly as given, so node marks index into {@code text} itself
   * ({@code null} for an empty or comment-only text); throws {@link YAMLException} when it is not a single document.
   */
  static Node compose(String text) {
    LoaderOptions options = loaderOptions();
    options.setProcessComments(true);
    Node root = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
        options).compose(new StringReader(withinLimits(text)));
    // A file with nothing but comments composes to a lone comment node: treat it as empty.
    return root == null || Tag.COMMENT.equals(root.getTag()) ? null : root;
  }

  /** The composed tree ({@code null} for an empty file); callers must not mutate it. */
  Node root() {
    return root;
  }

  /** The document as plain maps, lists and scalars, with {@code ${ENV}} references as written. */
  Object toPlain() {
    return root == null ? null : YamlNodeMerger.toPlain(root);
  }

  /** Plain value of YAML text (no comments, no env substitution); throws {@link YAMLException}. */
  static Object plainOf(String text) {
    return new Yaml(new SafeConstructor(loaderOptions())).load(withinLimits(text));
  }

  /**
   * The text of this document changed to hold {@code value}. Throws {@link IllegalStateException} if
   * the rendered text would not read back as exactly {@code value} (never written, never silent).
   */
  String render(Object value) {
    if (YamlNodeMerger.plainEquals(toPlain(), value)) {
      return original;
    }
    String rendered = renderYaml(value);
    String kept = FileConventions.keep(original, rendered);
    return !kept.equals(rendered) && readsAs(kept, value) ? kept : rendered;
  }

  private static boolean readsAs(String text, Object value) {
    try {
      return YamlNodeMerger.plainEquals(plainOf(text), value);
    } catch (YAMLException e) {
      return false;
    }
  }

  private String renderYaml(Object value) {
    String rendered;
    if (root == null) {
      // Empty or comment-only file: keep its text and append the content below it.
      String body = newYaml(dumperOptions(null)).dump(value);
      rendered = text.isBlank() ? body : text + (text.endsWith("\n") ? "" : "\n") + body;
    } else {
      DumperOptions options = dumperOptions(root);
      TrailingComments.attachToItems(root);
      Node merged = new YamlNodeMerger(new Representer(options)).merge(root, value);
      liftItemComments(merged);
      StringWriter out = new StringWriter();
      newYaml(options).serialize(merged, out);
      rendered = out.toString();
      String laidOut = YamlLayout.restore(text, rendered);
      if (YamlNodeMerger.plainEquals(plainOf(laidOut), value)) {
        return laidOut;
      }
    }
    if (!YamlNodeMerger.plainEquals(plainOf(rendered), value)) {
      throw new IllegalStateException("re-reading the edited config.yaml does not give the intended content");
    }
    return rendered;
  }

  /**
   * A comment above a list item is attached to the item's first key; emitted from there it would
   * follow the dash ({@code - # comment}). Moving it to the item puts it back above the dash.
   */
  private static void liftItemComments(Node node) {
    if (node instanceof MappingNode map) {
      for (NodeTuple tuple : map.getValue()) {
        liftItemComments(tuple.getValueNode());
      }
    } else if (node instanceof SequenceNode seq) {
      for (Node item : seq.getValue()) {
        if (item instanceof MappingNode map && !map.getValue().isEmpty()) {
          Node firstKey = map.getValue().get(0).getKeyNode();
          List<CommentLine> comments = firstKey.getBlockComments();
          if (comments != null && !comments.isEmpty()) {
            List<CommentLine> lifted = new ArrayList<>();
            if (item.getBlockComments() != null) {
              lifted.addAll(item.getBlockComments());
            }
            lifted.addAll(comments);
            item.setBlockComments(lifted);
            firstKey.setBlockComments(null);
          }
        }
        liftItemComments(item);
      }
    }
  }

  private static Yaml newYaml(DumperOptions options) {
    LoaderOptions loader = loaderOptions();
    loader.setProcessComments(true);
    return new Yaml(new SafeConstructor(loader), new Representer(options), options, loader);
  }

  /** {@link YamlLimits}' options; every parse here goes through {@link #withinLimits} first. */
  static LoaderOptions loaderOptions() {
    return YamlLimits.loaderOptions();
  }

  /** {@code text}, or a {@link YAMLException} saying which of {@link YamlLimits} it exceeds. */
  private static String withinLimits(String text) {
    String problem = YamlLimits.problem(text);
    if (problem != null) {
      throw new YAMLException(problem);
    }
    return text;
  }

  /** Block style, no line folding, and the file's own indentation where it shows one. */
  private static DumperOptions dumperOptions(Node root) {
    DumperOptions options = new DumperOptions();
    options.setProcessComments(true);
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setAllowUnicode(true);
    options.setSplitLines(false);
    options.setWidth(Integer.MAX_VALUE);
    Indentation found = new Indentation();
    if (root != null) {
      found.scan(root);
    }
    options.setIndent(found.mapping);
    if (found.sequence > 0) {
      options.setIndentWithIndicator(true);
      // The dash sits `sequence` columns under its key and item content `mapping` columns after it.
      options.setIndicatorIndent(Math.min(found.sequence, 8));
    }
    return options;
  }

  /** Reads the indentation the file already uses: nested mappings, and dashes under their key. */
  private static final class Indentation {
    int mapping = 2;
    int sequence = -1;
    private boolean mappingFound;

    void scan(Node node) {
      if (node instanceof MappingNode map) {
        for (NodeTuple tuple : map.getValue()) {
          Node key = tuple.getKeyNode();
          Node value = tuple.getValueNode();
          int column = key.getStartMark() == null || value.getStartMark() == null ? -1
              : value.getStartMark().getColumn() - key.getStartMark().getColumn();
          boolean nextLine = key.getStartMark() != null && value.getStartMark() != null
              && value.getStartMark().getLine() > key.getStartMark().getLine();
          if (nextLine && column > 0 && !mappingFound && value instanceof MappingNode m
              && m.getFlowStyle() == DumperOptions.FlowStyle.BLOCK && column <= 10) {
            mapping = column;
            mappingFound = true;
          }
          if (nextLine && column >= 0 && sequence < 0 && value instanceof SequenceNode s
              && s.getFlowStyle() == DumperOptions.FlowStyle.BLOCK) {
            sequence = column;
          }
          scan(value);
        }
      } else if (node instanceof SequenceNode seq) {
        List<Node> items = seq.getValue();
        for (Node item : items) {
          scan(item);
        }
      }
    }
  }

  /** A defensive deep copy of a plain tree, so an edit cannot mutate the tree it compares against. */
  @SuppressWarnings("unchecked")
  static Object copy(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new java.util.ArrayList<>(list.size());
      for (Object item : list) {
        out.add(copy(item));
      }
      return out;
    }
    return value;
  }
}
