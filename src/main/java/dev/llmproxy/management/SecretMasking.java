package dev.llmproxy.management;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Masks secrets in what management shows, and puts the stored secret back where a client returns a
 * masked value, so GET, edit, PUT round-trips never overwrite a key with its mask. A masked value is
 * resolved to the one stored secret of the same kind with that mask; of several, to the one whose entries on
 * the way (a provider, a client key) bear the same {@code name}s; no match, or still several, is a 422 that asks
 * for the value in clear. Never by position alone: two keys masked alike ({@code sk-o...3456}), a list sent back
 * reordered or with an entry dropped, and a key went to another provider's entry (sent to its host) or a
 * revoked client key lived on under another name. Works on
 * plain value trees and, for {@code config.yaml}, on raw text (only the secret scalars change, the
 * rest of the file stays byte for byte). Stateless.
 */
final class SecretMasking {
  private SecretMasking() {}

  /** A copy of {@code root} with every secret masked. */
  static Object mask(Object root) {
    Object copy = YamlDocument.copy(root);
    walk(copy, new ArrayList<>(), (path, value) -> {
      String family = SecretPaths.family(path);
      return family == null ? value : SecretPaths.mask(family, value);
    });
    return copy;
  }

  /** Replaces, in place, each masked secret of {@code updated} with the stored one from {@code stored}. */
  static void restore(Object stored, Object updated) {
    List<StoredSecret> secrets = collect(stored);
    walk(updated, new ArrayList<>(), (path, value) -> resolve(secrets, path, value, namesAlong(updated, path)));
  }

  /** {@code yaml} with every secret scalar masked; comments and layout untouched. */
  static String maskText(String yaml) {
    return rewriteScalars(yaml, (path, value) -> {
      String family = SecretPaths.family(path);
      Object masked = family == null ? value : SecretPaths.mask(family, value);
      return masked.equals(value) ? null : (String) masked;
    });
  }

  /** {@code yaml} (sent by a client) with each masked secret replaced by the one in {@code stored}. */
  static String restoreText(Object stored, String yaml) {
    List<StoredSecret> secrets = collect(stored);
    Object sent = YamlDocument.plainOf(yaml);
    return rewriteScalars(yaml, (path, value) -> {
      Object resolved = resolve(secrets, path, value, namesAlong(sent, path));
      return resolved.equals(value) ? null : (String) resolved;
    });
  }

  /** A stored secret, and the {@code name}s of the entries on its path ({@link #namesAlong}). */
  private record StoredSecret(String family, Object raw, List<Object> names) {}

  private static List<StoredSecret> collect(Object stored) {
    List<StoredSecret> out = new ArrayList<>();
    Object copy = YamlDocument.copy(stored);
    walk(copy, new ArrayList<>(), (path, value) -> {
      String family = SecretPaths.family(path);
      if (family != null && value instanceof String) {
        out.add(new StoredSecret(family, value, namesAlong(copy, path)));
      }
      return value;
    });
    return out;
  }

  /** The {@code name} of each map on {@code path} from {@code root} ({@code null} for one without), the last excepted. */
  private static List<Object> namesAlong(Object root, List<Object> path) {
    List<Object> names = new ArrayList<>(path.size());
    Object node = root;
    for (Object step : path) {
      names.add(node instanceof Map<?, ?> map ? map.get("name") : null);
      node = node instanceof Map<?, ?> map ? map.get(step)
          : node instanceof List<?> list && step instanceof Integer i && i < list.size() ? list.get(i) : null;
    }
    return names;
  }

  private static Object resolve(List<StoredSecret> secrets, List<Object> path, Object value, List<Object> names) {
    String family = SecretPaths.family(path);
    if (family == null || !SecretPaths.looksMasked(family, value)) {
      return value;
    }
    Set<Object> candidates = new LinkedHashSet<>();
    Set<Object> sameNames = new LinkedHashSet<>();
    for (StoredSecret s : secrets) {
      if (s.family().equals(family) && (s.raw().equals(value) || SecretPaths.mask(family, s.raw()).equals(value))) {
        candidates.add(s.raw());
        if (s.names().equals(names)) {
          sameNames.add(s.raw());
        }
      }
    }
    if (candidates.size() == 1) {
      return candidates.iterator().next();
    }
    if (sameNames.size() == 1) {
      return sameNames.iterator().next();
    }
    String where = SecretPaths.display(path);
    throw new ManagementException(422, "invalid_config", where + ": '" + value + "' is a masked value that "
        + (candidates.isEmpty() ? "matches no stored secret" : "matches several stored secrets")
        + "; send the value in clear", List.of(where + ": masked value cannot be resolved"));
  }

  /** Visits every scalar of a mutable plain tree; the visitor's result replaces the value. */
  @SuppressWarnings("unchecked")
  private static void walk(Object node, List<Object> path, BiFunction<List<Object>, Object, Object> visitor) {
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<Object, Object> e : ((Map<Object, Object>) map).entrySet()) {
        path.add(String.valueOf(e.getKey()));
        if (e.getValue() instanceof Map || e.getValue() instanceof List) {
          walk(e.getValue(), path, visitor);
        } else {
          e.setValue(visitor.apply(path, e.getValue()));
        }
        path.remove(path.size() - 1);
      }
    } else if (node instanceof List<?> list) {
      List<Object> items = (List<Object>) list;
      for (int i = 0; i < items.size(); i++) {
        path.add(i);
        Object item = items.get(i);
        if (item instanceof Map || item instanceof List) {
          walk(item, path, visitor);
        } else {
          items.set(i, visitor.apply(path, item));
        }
        path.remove(path.size() - 1);
      }
    }
  }

  /** Rewrites the text span of each string scalar for which {@code replacement} gives a new value. */
  private static String rewriteScalars(String yaml, BiFunction<List<Object>, Object, String> replacement) {
    // Composed as given, not as YamlDocument.parse normalises it (no BOM, LF): the marks index into yaml itself.
    Node root = YamlDocument.compose(yaml);
    // Keyed by start offset: an aliased scalar is visited once per use but replaced once.
    CodePointSpans spans = new CodePointSpans();
    visitScalars(root, new ArrayList<>(), (path, scalar) -> {
      Object plain = YamlNodeMerger.toPlain(scalar);
      if (!(plain instanceof String)) {
        return;
      }
      String replaced = replacement.apply(path, plain);
      if (replaced != null) {
        spans.replace(scalar.getStartMark().getIndex(), scalar.getEndMark().getIndex(), quote(replaced));
      }
    });
    return spans.applyTo(yaml);
  }

  private interface ScalarVisitor {
    void visit(List<Object> path, ScalarNode scalar);
  }

  private static void visitScalars(Node node, List<Object> path, ScalarVisitor visitor) {
    if (node instanceof MappingNode map) {
      for (NodeTuple tuple : map.getValue()) {
        path.add(String.valueOf(YamlNodeMerger.toPlain(tuple.getKeyNode())));
        visitScalars(tuple.getValueNode(), path, visitor);
        path.remove(path.size() - 1);
      }
    } else if (node instanceof SequenceNode seq) {
      for (int i = 0; i < seq.getValue().size(); i++) {
        path.add(i);
        visitScalars(seq.getValue().get(i), path, visitor);
        path.remove(path.size() - 1);
      }
    } else if (node instanceof ScalarNode scalar) {
      visitor.visit(path, scalar);
    }
  }

  /** A YAML double-quoted scalar holding {@code s}. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
