package dev.llmproxy.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Typed reads of the members of a client's JSON body that fail as a {@link TranslationException} (a 400) naming
 * the member by its path as the client's API spells it ({@code messages[2].content[0].source}), in that API's
 * words. JSON {@code null} counts as absent, as the SDKs send it for unset options. One instance per dialect;
 * immutable.
 */
public final class JsonFields {
  private final BiFunction<String, String, String> wrongType;
  private final UnaryOperator<String> missing;
  private final BiFunction<JsonNode, String, JsonNode> member;

  /**
   * @param wrongType the message for a member of the wrong type, from its path and what was expected
   *     ({@code a string}, {@code an array}, {@code an object}, {@code a number}, {@code a finite number},
   *     {@code an integer}, {@code a boolean})
   * @param missing the message for a required member that is absent, from its path
   */
  public JsonFields(BiFunction<String, String, String> wrongType, UnaryOperator<String> missing) {
    this(wrongType, missing, JsonFields::get);
  }

  /**
   * @param member finds a member by name, {@code null} when absent or JSON null (Gemini's also by its snake_case
   *     spelling)
   */
  public JsonFields(BiFunction<String, String, String> wrongType, UnaryOperator<String> missing,
      BiFunction<JsonNode, String, JsonNode> member) {
    this.wrongType = wrongType;
    this.missing = missing;
    this.member = member;
  }

  /** The member, or {@code null} when it is absent or JSON null. */
  public static JsonNode get(JsonNode parent, String field) {
    JsonNode value = parent.get(field);
    return value == null || value.isNull() ? null : value;
  }

  public String string(JsonNode parent, String field, String path) {
    JsonNode value = typed(parent, field, path, JsonNode::isTextual, "a string");
    return value == null ? null : value.textValue();
  }

  public String requiredString(JsonNode parent, String field, String path) {
    String value = string(parent, field, path);
    if (value == null) {
      throw missing(path);
    }
    return value;
  }

  /** The member, which must be an array when present. */
  public JsonNode array(JsonNode parent, String field, String path) {
    return typed(parent, field, path, JsonNode::isArray, "an array");
  }

  /** The member, which must be an object when present. */
  public JsonNode object(JsonNode parent, String field, String path) {
    JsonNode value = member.apply(parent, field);
    return value == null ? null : requireObject(value, path);
  }

  public JsonNode requiredObject(JsonNode parent, String field, String path) {
    JsonNode value = object(parent, field, path);
    if (value == null) {
      throw missing(path);
    }
    return value;
  }

  /** {@code node}, found at {@code path} (an element of an array, say), which must be an object. */
  public JsonNode requireObject(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw wrongType(path, "an object");
    }
    return node;
  }

  /**
   * The member, which must be a finite number when present: {@code 1e999} parses as infinity, which would go upstream
   * as the string {@code "Infinity"}.
   */
  public JsonNode number(JsonNode parent, String field, String path) {
    JsonNode value = typed(parent, field, path, JsonNode::isNumber, "a number");
    if (value != null && !Double.isFinite(value.doubleValue())) {
      throw wrongType(path, "a finite number");
    }
    return value;
  }

  /** A whole number, or {@code null}; {@code 32000.0} is accepted as 32000. */
  public Long integer(JsonNode parent, String field, String path) {
    JsonNode value = typed(parent, field, path,
        v -> v.isNumber() && v.canConvertToExactIntegral() && v.canConvertToLong(), "an integer");
    return value == null ? null : value.asLong();
  }

  /** The member's value, {@code false} when absent. */
  public boolean bool(JsonNode parent, String field, String path) {
    return bool(parent, field, path, false);
  }

  /** The member's value, {@code absent} when absent. */
  public boolean bool(JsonNode parent, String field, String path, boolean absent) {
    JsonNode value = typed(parent, field, path, JsonNode::isBoolean, "a boolean");
    return value == null ? absent : value.booleanValue();
  }

  /** The member, which must pass {@code is} when present. */
  private JsonNode typed(JsonNode parent, String field, String path, Predicate<JsonNode> is, String expected) {
    JsonNode value = member.apply(parent, field);
    if (value != null && !is.test(value)) {
      throw wrongType(path, expected);
    }
    return value;
  }

  private TranslationException wrongType(String path, String expected) {
    return new TranslationException(path, wrongType.apply(path, expected));
  }

  private TranslationException missing(String path) {
    return new TranslationException(path, missing.apply(path));
  }
}
