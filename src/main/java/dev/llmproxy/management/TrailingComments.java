package dev.llmproxy.management;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.comments.CommentLine;
import org.yaml.snakeyaml.comments.CommentType;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Gives the comment lines that trail a list item back to that item. SnakeYAML attaches a comment to
 * the next token after it, so the commented-out keys under a row ({@code # force-mapping: false}
 * below a model) belong to the next key of the file, or to the document's end; a row appended to the
 * list would then be written above them, and they would read as the new row's. Here every comment
 * line after an item, up to the next token, that is indented at least as deep as the item's content
 * becomes an end comment of that item (the deepest such item, as the eye reads it), and the emitter
 * writes it right after the item. Mutates the tree it is given; stateless otherwise.
 */
final class TrailingComments {
  /** Items that ended since the last token, deepest first: the candidates for the next comments. */
  private final List<Node> ended = new ArrayList<>();

  private TrailingComments() {}

  static void attachToItems(Node root) {
    if (root != null) {
      new TrailingComments().visit(root);
    }
  }

  private void visit(Node node) {
    node.setBlockComments(claim(node.getBlockComments()));
    if (node instanceof MappingNode map) {
      ended.clear();
      for (NodeTuple tuple : map.getValue()) {
        visit(tuple.getKeyNode());
        visit(tuple.getValueNode());
      }
    } else if (node instanceof SequenceNode seq) {
      ended.clear();
      for (Node item : seq.getValue()) {
        visit(item);
        if (seq.getFlowStyle() == FlowStyle.BLOCK && item.getStartMark() != null) {
          ended.add(item); // after the items that ended inside it: deeper ones come first
        }
      }
    } else {
      ended.clear();
    }
    node.setEndComments(claim(node.getEndComments()));
  }

  /**
   * Moves the leading comments of {@code comments} that trail an ended item into that item's end
   * comments; returns what stays. A blank line goes with the comment after it.
   */
  private List<CommentLine> claim(List<CommentLine> comments) {
    if (comments == null || comments.isEmpty() || ended.isEmpty()) {
      return comments;
    }
    int candidate = 0;
    int taken = 0;
    List<CommentLine> pendingBlanks = new ArrayList<>();
    for (CommentLine line : comments) {
      if (line.getCommentType() == CommentType.BLANK_LINE) {
        pendingBlanks.add(line);
        continue;
      }
      if (line.getCommentType() != CommentType.BLOCK || line.getStartMark() == null) {
        break;
      }
      int column = line.getStartMark().getColumn();
      while (candidate < ended.size() && column < ended.get(candidate).getStartMark().getColumn()) {
        candidate++;
      }
      if (candidate == ended.size()) {
        break;
      }
      Node owner = ended.get(candidate);
      List<CommentLine> end = owner.getEndComments() == null ? new ArrayList<>() : new ArrayList<>(owner.getEndComments());
      end.addAll(pendingBlanks);
      end.add(line);
      owner.setEndComments(end);
      taken += pendingBlanks.size() + 1;
      pendingBlanks.clear();
    }
    return taken == 0 ? comments : new ArrayList<>(comments.subList(taken, comments.size()));
  }
}
