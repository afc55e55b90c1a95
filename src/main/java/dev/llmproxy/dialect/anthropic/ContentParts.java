package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.llmproxy.dialect.JsonFields;
import dev.llmproxy.dialect.TranslationException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Collects the readable blocks of one user turn or one {@code tool_result} as chat-completions content:
 * {@code text} → a text part; {@code image} → an {@code image_url} part (a {@code data:} URL for base64
 * sources); a text {@code document} → a text part. Content that is text only becomes one string (text
 * parts joined with {@code \n}): every OpenAI-compatible upstream takes a string, not all take part arrays.
 * PDFs and file sources have no chat-completions equivalent and are refused with a 400 rather than dropped
 * silently, so the user knows the model never saw them. Not thread-safe: one per message.
 */
final class ContentParts {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final List<ObjectNode> parts = new ArrayList<>();
  private boolean textOnly = true;

  /** Adds a text part. */
  void addText(String text) {
    parts.add(NODES.objectNode().put("type", "text").put("text", text));
  }

  /**
   * Adds {@code block} when it is one of the readable types.
   *
   * @return false when {@code type} is not a readable type (the caller decides what it is)
   */
  boolean add(JsonNode block, String type, String path) {
    switch (type) {
      case "text" -> addText(BodyFields.FIELDS.requiredString(block, "text", path + ".text"));
      case "image" -> addImage(BodyFields.FIELDS.requiredObject(block, "source", path + ".source"), path + ".source");
      case "document" -> addDocument(BodyFields.FIELDS.requiredObject(block, "source", path + ".source"), path);
      default -> {
        return false;
      }
    }
    return true;
  }

  boolean isEmpty() {
    return parts.isEmpty();
  }

  /** Inserts a text part before the others. */
  void prependText(String text) {
    parts.add(0, NODES.objectNode().put("type", "text").put("text", text));
  }

  /**
   * Removes the image parts and returns them in order; what stays is text only. For a {@code tool} message:
   * OpenAI-compatible upstreams take only text there, and answer an image with a 400.
   */
  List<ObjectNode> takeImages() {
    List<ObjectNode> images = new ArrayList<>();
    for (Iterator<ObjectNode> it = parts.iterator(); it.hasNext(); ) {
      ObjectNode part = it.next();
      if ("image_url".equals(part.get("type").textValue())) {
        images.add(part);
        it.remove();
      }
    }
    textOnly = true;
    return images;
  }

  /** Inserts {@code images}, parts taken by {@link #takeImages}, before the others. */
  void prependImages(List<ObjectNode> images) {
    parts.addAll(0, images);
    textOnly &= images.isEmpty();
  }

  /** The chat {@code content}: a string when every part is text, else the array of parts. */
  JsonNode content() {
    if (textOnly) {
      StringBuilder text = new StringBuilder();
      for (ObjectNode part : parts) {
        if (!text.isEmpty()) {
          text.append('\n');
        }
        text.append(part.get("text").textValue());
      }
      return TextNode.valueOf(text.toString());
    }
    ArrayNode array = NODES.arrayNode(parts.size());
    parts.forEach(array::add);
    return array;
  }

  private void addImage(JsonNode source, String path) {
    String sourceType = BodyFields.FIELDS.requiredString(source, "type", path + ".type");
    String url = switch (sourceType) {
      case "base64" -> "data:" + BodyFields.FIELDS.requiredString(source, "media_type", path + ".media_type")
          + ";base64," + BodyFields.FIELDS.requiredString(source, "data", path + ".data");
      case "url" -> BodyFields.FIELDS.requiredString(source, "url", path + ".url");
      default -> throw new TranslationException(path + ".type",
          path + ".type: image source '" + sourceType + "' is not supported; send base64 data or a URL");
    };
    ObjectNode part = NODES.objectNode().put("type", "image_url");
    part.putObject("image_url").put("url", url);
    parts.add(part);
    textOnly = false;
  }

  private void addDocument(JsonNode source, String path) {
    String sourceType = BodyFields.FIELDS.requiredString(source, "type", path + ".source.type");
    switch (sourceType) {
      case "text" -> addText(BodyFields.FIELDS.requiredString(source, "data", path + ".source.data"));
      case "content" -> addNested(source, path + ".source.content");
      default -> throw new TranslationException(path,
          path + ": PDF and file documents are not supported by this gateway (its upstreams take no PDFs);"
              + " send the document's text instead");
    }
  }

  /** A {@code content} document source: a string or text and image blocks. */
  private void addNested(JsonNode source, String path) {
    JsonNode content = JsonFields.get(source, "content");
    if (content != null && content.isTextual()) {
      addText(content.textValue());
      return;
    }
    if (content == null || !content.isArray()) {
      throw new TranslationException(path, path + ": expected a string or an array of blocks");
    }
    for (int i = 0; i < content.size(); i++) {
      String blockPath = path + "[" + i + "]";
      JsonNode block = BodyFields.FIELDS.requireObject(content.get(i), blockPath);
      String type = BodyFields.FIELDS.requiredString(block, "type", blockPath + ".type");
      if (!"text".equals(type) && !"image".equals(type)) {
        throw new TranslationException(blockPath + ".type",
            blockPath + ".type: a document's content holds text and image blocks, not " + type);
      }
      add(block, type, blockPath);
    }
  }
}
