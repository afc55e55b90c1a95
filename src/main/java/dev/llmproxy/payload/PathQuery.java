package dev.llmproxy.payload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The condition inside a path's {@code #(...)}, as gjson writes it: terms {@code left op value} joined by {@code &&}
 * and {@code ||} ({@code &&} binding tighter), where {@code left} is a path inside the array element (empty: the
 * element itself), {@code op} one of {@code == != < <= > >= % !%} ({@code %} matches a string against a pattern
 * with {@code *} and {@code ?}), and {@code value} a JSON literal ({@code "text"}, {@code 'text'}, a number,
 * {@code true}, {@code false}, {@code null}). A term without an operator asks that {@code left} is there and
 * neither null nor false. Immutable.
 */
final class PathQuery {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Numbers equal by value (1 and 1.0), everything else as Jackson compares it. */
  private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> a.equals(b)
      || (a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0) ? 0 : 1;

  enum Operator {
    // Two-character operators first: "<=" must not be read as "<".
    EQUAL("=="), NOT_EQUAL("!="), AT_MOST("<="), AT_LEAST(">="), NOT_LIKE("!%"), LESS("<"), MORE(">"), LIKE("%"),
    EQUAL_SHORT("=");

    final String text;

    Operator(String text) {
      this.text = text;
    }
  }

  /** One comparison; {@code operator} {@code null} asks only that {@code left} is there and truthy. */
  record Term(JsonPath left, Operator operator, JsonNode value) {}

  private final List<List<Term>> anyOf;

  private PathQuery(List<List<Term>> anyOf) {
    this.anyOf = anyOf;
  }

  /** @throws IllegalArgumentException for an empty term or a value that is no JSON literal */
  static PathQuery parse(String text) {
    List<List<Term>> anyOf = new ArrayList<>();
    for (String alternative : PathText.split(text, "||")) {
      List<Term> allOf = new ArrayList<>();
      for (String term : PathText.split(alternative, "&&")) {
        allOf.add(term(term.trim(), text));
      }
      anyOf.add(List.copyOf(allOf));
    }
    return new PathQuery(List.copyOf(anyOf));
  }

  private static Term term(String term, String query) {
    if (term.isEmpty()) {
      throw new IllegalArgumentException("the query '" + query + "' has an empty term");
    }
    int at = operatorIndex(term);
    if (at < 0) {
      return new Term(JsonPath.parse(term), null, null);
    }
    Operator operator = operatorAt(term, at);
    String left = term.substring(0, at).trim();
    String value = term.substring(at + operator.text.length()).trim();
    return new Term(left.isEmpty() ? null : JsonPath.parse(left), operator == Operator.EQUAL_SHORT
        ? Operator.EQUAL : operator, literal(value, query));
  }

  /** Where the term's operator starts, outside quotes; -1 when it has none. */
  private static int operatorIndex(String term) {
    return PathText.find(term, 0, (i, c, depth) -> "=!<>%".indexOf(c) >= 0);
  }

  private static Operator operatorAt(String term, int at) {
    for (Operator operator : Operator.values()) {
      if (term.startsWith(operator.text, at)) {
        return operator;
      }
    }
    throw new IllegalArgumentException("'" + term + "' has no operator the gateway knows at '" + term.substring(at)
        + "'");
  }

  private static JsonNode literal(String value, String query) {
    if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
      return TextNode.valueOf(PathText.unescape(value.substring(1, value.length() - 1)));
    }
    try {
      return JSON.readTree(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("'" + value + "' in the query '" + query
          + "' is not a JSON value (quote a string: \"text\")");
    }
  }

  /** Whether {@code element} (one element of the array the query runs over) matches. */
  boolean matches(JsonNode element) {
    for (List<Term> allOf : anyOf) {
      if (allOf.stream().allMatch(term -> holds(term, element))) {
        return true;
      }
    }
    return false;
  }

  private static boolean holds(Term term, JsonNode element) {
    JsonNode left = term.left() == null ? element : term.left().first(element);
    if (left == null || left.isMissingNode()) {
      return false;
    }
    if (term.operator() == null) {
      return !left.isNull() && !(left.isBoolean() && !left.booleanValue());
    }
    JsonNode value = term.value();
    return switch (term.operator()) {
      case EQUAL, EQUAL_SHORT -> sameValue(left, value);
      case NOT_EQUAL -> !sameValue(left, value);
      case LIKE -> left.isTextual() && value.isTextual() && Glob.matches(value.textValue(), left.textValue());
      case NOT_LIKE -> left.isTextual() && value.isTextual() && !Glob.matches(value.textValue(), left.textValue());
      default -> ordered(term.operator(), left, value);
    };
  }

  private static boolean ordered(Operator operator, JsonNode left, JsonNode value) {
    int order;
    if (left.isNumber() && value.isNumber()) {
      order = left.decimalValue().compareTo(value.decimalValue());
    } else if (left.isTextual() && value.isTextual()) {
      order = left.textValue().compareTo(value.textValue());
    } else {
      return false;
    }
    return switch (operator) {
      case LESS -> order < 0;
      case AT_MOST -> order <= 0;
      case MORE -> order > 0;
      default -> order >= 0;
    };
  }

  /** JSON equality, numbers by value: what a rule's {@code match} and a query's {@code ==} mean. */
  static boolean sameValue(JsonNode a, JsonNode b) {
    return a.equals(NUMBERS_BY_VALUE, b);
  }
}
