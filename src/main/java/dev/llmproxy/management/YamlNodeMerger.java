package dev.llmproxy.management;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Merges a plain value tree (maps, lists, scalars, as an edit produced it) into an existing YAML node
 * tree, reusing every node whose value did not change. A reused node keeps its comments, quoting and
 * literal text (so {@code ${ENV}} stays); a mapping keeps its key order, new keys go last; list items
 * are matched by equal value, then by {@code name}, then by position, so reordering or deleting an
 * entry keeps the comments of the others. A replaced scalar inherits the old one's comments and quote
 * style. A node shared through a YAML anchor is never changed ({@link SharedNodeException}): the composed
 * tree holds it once for the anchor and every alias, so a change at one place would silently change the others.
 * Mutates the tree it is given; not thread-safe.
 */
final class YamlNodeMerger {
  private final Representer representer;
  /** Nodes the tree holds at more than one place (an anchor and its aliases); filled by {@link #merge(Node, Object)}. */
  private final Set<Node> shared = Collections.newSetFromMap(new IdentityHashMap<>());

  YamlNodeMerger(Representer representer) {
    this.representer = representer;
  }

  /** {@code root} changed to hold {@code value}; throws {@link SharedNodeException} if that changes a shared node. */
  Node merge(Node root, Object value) {
    shared.clear();
    findShared(root, Collections.newSetFromMap(new IdentityHashMap<>()));
    return merge(root, value, "");
  }

  private void findShared(Node node, Set<Node> seen) {
    if (node == null) {
      return;
    }
    if (!seen.add(node)) {
      shared.add(node);
      return;
    }
    if (node instanceof MappingNode map) {
      for (NodeTuple tuple : map.getValue()) {
        findShared(tuple.getKeyNode(), seen);
        findShared(tuple.getValueNode(), seen);
      }
    } else if (node instanceof SequenceNode seq) {
      for (Node item : seq.getValue()) {
        findShared(item, seen);
      }
    }
  }

  private Node merge(Node old, Object value, String path) {
    if (old != null && plainEquals(toPlain(old), value)) {
      return old;
    }
    if (old != null && shared.contains(old)) {
      throw new SharedNodeException(path, old.getAnchor());
    }
    if (value instanceof Map<?, ?> map && old instanceof MappingNode mapping) {
      mergeMapping(mapping, map, path);
      return mapping;
    }
    if (value instanceof List<?> list && old instanceof SequenceNode sequence) {
      mergeSequence(sequence, list, path);
      return sequence;
    }
    return replace(old, value);
  }

  /** An edit would change a value the file shares through a YAML anchor; nothing was changed. */
  static final class SharedNodeException extends RuntimeException {
    SharedNodeException(String path, String anchor) {
      super((path.isEmpty() ? "the document" : path) + " is shared through the YAML anchor "
          + (anchor == null ? "" : "&" + anchor + " ") + "(used at more than one place in config.yaml), so "
          + "changing it here would change the other places too; edit config.yaml by hand", null, false, false);
    }
  }

  private void mergeMapping(MappingNode mapping, Map<?, ?> value, String path) {
    Map<String, Object> remaining = new LinkedHashMap<>();
    value.forEach((k, v) -> remaining.put(String.valueOf(k), v));
    List<NodeTuple> tuples = new ArrayList<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String key = String.valueOf(toPlain(tuple.getKeyNode()));
      if (remaining.containsKey(key)) {
        tuples.add(new NodeTuple(tuple.getKeyNode(),
            merge(tuple.getValueNode(), remaining.remove(key), path.isEmpty() ? key : path + "." + key)));
      }
    }
    remaining.forEach((k, v) -> tuples.add(new NodeTuple(fresh(k), fresh(v))));
    mapping.setValue(tuples);
  }

  private void mergeSequence(SequenceNode sequence, List<?> value, String path) {
    List<Node> oldItems = new ArrayList<>(sequence.getValue());
    List<Object> oldPlain = new ArrayList<>();
    for (Node item : oldItems) {
      oldPlain.add(toPlain(item));
    }
    boolean[] used = new boolean[oldItems.size()];
    List<Node> items = new ArrayList<>();
    List<Integer> freshAt = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      Object v = value.get(i);
      int match = findMatch(oldPlain, used, v, i);
      if (match >= 0) {
        used[match] = true;
        items.add(merge(oldItems.get(match), v, path + "[" + match + "]"));
      } else {
        freshAt.add(i);
        items.add(fresh(v));
      }
    }
    // A shared item that a new one took the place of was edited, not deleted: as refused as an edit made in place.
    for (int i : freshAt) {
      if (i < oldItems.size() && !used[i] && shared.contains(oldItems.get(i))) {
        throw new SharedNodeException(path + "[" + i + "]", oldItems.get(i).getAnchor());
      }
    }
    sequence.getValue().clear();
    sequence.getValue().addAll(items);
  }

  private static int findMatch(List<Object> oldPlain, boolean[] used, Object v, int position) {
    for (int j = 0; j < oldPlain.size(); j++) {
      if (!used[j] && plainEquals(oldPlain.get(j), v)) {
        return j;
      }
    }
    Object name = v instanceof Map<?, ?> m ? m.get("name") : null;
    if (name != null) {
      for (int j = 0; j < oldPlain.size(); j++) {
        if (!used[j] && oldPlain.get(j) instanceof Map<?, ?> old && plainEquals(old.get("name"), name)) {
          return j;
        }
      }
    }
    if (position < oldPlain.size() && !used[position]) {
      Object old = oldPlain.get(position);
      boolean sameKind = (old instanceof Map && v instanceof Map) || (old instanceof List && v instanceof List);
      boolean unnamed = !(old instanceof Map<?, ?> m && m.get("name") != null && name != null);
      if (sameKind && unnamed) {
        return position;
      }
    }
    return -1;
  }

  private Node replace(Node old, Object value) {
    Node node = fresh(value);
    if (old == null) {
      return node;
    }
    if (old instanceof ScalarNode oldScalar && node instanceof ScalarNode scalar && value instanceof String s
        && Tag.STR.equals(oldScalar.getTag())) {
      node = new ScalarNode(Tag.STR, s, null, null, oldScalar.getScalarStyle());
    }
    node.setBlockComments(old.getBlockComments());
    node.setInLineComments(old.getInLineComments());
    node.setEndComments(old.getEndComments());
    return node;
  }

  private Node fresh(Object value) {
    return representer.represent(value);
  }

  /** Plain value of a node: what SnakeYAML's safe loader would have built for it. */
  static Object toPlain(Node node) {
    return new PlainConstructor().plain(node);
  }

  /** Deep equality that treats numbers by value (a JSON 3 equals a YAML 3 whatever their Java types). */
  static boolean plainEquals(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      try {
        return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
      } catch (NumberFormatException e) {
        return x.doubleValue() == y.doubleValue();
      }
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      Map<String, Object> ys = new LinkedHashMap<>();
      y.forEach((k, v) -> ys.put(String.valueOf(k), v));
      for (Map.Entry<?, ?> e : x.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (!ys.containsKey(key) || !plainEquals(e.getValue(), ys.get(key))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!plainEquals(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }

  /** Exposes the safe constructor's node-to-object step. */
  private static final class PlainConstructor extends SafeConstructor {
    PlainConstructor() {
      super(YamlDocument.loaderOptions());
    }

    Object plain(Node node) {
      return constructDocument(node);
    }
  }
}
