package dev.llmproxy.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A path into a JSON body as CLIProxyAPI's {@code payload} rules write it (gjson and sjson's syntax): keys joined by
 * dots, a backslash taking the next character as it is ({@code metadata.a\.b}), a number indexing an array ({@code
 * messages.0.role}; {@code -1} appends when setting), and {@code #(query)} choosing the first array element that
 * matches, {@code #(query)#} every one ({@code tools.#(type=="web_search").type}). Immutable.
 *
 * <p>A path names places only once it meets a body: {@link #locate} turns each query into the indexes of the
 * elements it matches there, giving concrete {@link Location}s that {@link #get}, {@link #set} and {@link #delete}
 * follow. A key is an object's member or, where the body has an array and the key is a number, an index.
 */
public final class JsonPath {
  private static final int APPEND = -1;

  /** One step of a path. */
  sealed interface Segment permits Key, Query {}

  /** A member name or an array index, as written. */
  record Key(String name) implements Segment {}

  /** Array elements chosen by a query: the first match, or every match when {@code all}. */
  record Query(PathQuery query, boolean all) implements Segment {}

  /** A concrete place in one body: keys only, queries resolved. Immutable. */
  public record Location(List<String> keys) {
    public Location {
      keys = List.copyOf(keys);
    }
  }

  private final String text;
  private final List<Segment> segments;

  private JsonPath(String text, List<Segment> segments) {
    this.text = text;
    this.segments = List.copyOf(segments);
  }

  /**
   * Reads {@code text}.
   *
   * @throws IllegalArgumentException naming what is wrong: an empty key, an unclosed query, a query that says nothing
   */
  public static JsonPath parse(String text) {
    List<Segment> segments = new ArrayList<>();
    for (String part : PathText.split(text, ".")) {
      segments.add(segment(part, text));
    }
    return new JsonPath(text, segments);
  }

  private static Segment segment(String part, String text) {
    if (part.startsWith("#(")) {
      int close = PathText.closingParenthesis(part);
      if (close < 0) {
        throw new IllegalArgumentException("the query in '" + text + "' has no closing parenthesis");
      }
      String rest = part.substring(close + 1);
      if (!rest.isEmpty() && !rest.equals("#")) {
        throw new IllegalArgumentException("'" + part + "' in '" + text + "' has text after its query");
      }
      return new Query(PathQuery.parse(part.substring(2, close)), rest.equals("#"));
    }
    String name = PathText.unescape(part);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "' has an empty key");
    }
    return new Key(name);
  }

  /** The path's first key, before any dot: what a rule touching {@code stream} is recognised by. */
  public String firstKey() {
    return segments.get(0) instanceof Key k ? k.name() : "";
  }

  /** The places this path names in {@code root}; a query matching nothing names none. */
  public List<Location> locate(JsonNode root) {
    List<List<String>> paths = new ArrayList<>();
    paths.add(new ArrayList<>());
    for (Segment segment : segments) {
      if (segment instanceof Key key) {
        paths.forEach(p -> p.add(key.name()));
        continue;
      }
      Query query = (Query) segment;
      List<List<String>> next = new ArrayList<>();
      for (List<String> base : paths) {
        JsonNode array = at(root, base);
        if (array == null || !array.isArray()) {
          continue;
        }
        for (int i = 0; i < array.size(); i++) {
          if (query.query().matches(array.get(i))) {
            List<String> chosen = new ArrayList<>(base);
            chosen.add(Integer.toString(i));
            next.add(chosen);
            if (!query.all()) {
              break;
            }
          }
        }
      }
      paths = next;
    }
    return paths.stream().map(Location::new).toList();
  }

  /** The first value this path names in {@code root}, or {@code null}. */
  public JsonNode first(JsonNode root) {
    for (Location location : locate(root)) {
      JsonNode value = get(root, location);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /** The value at {@code location}, or {@code null} when nothing is there. */
  public static JsonNode get(JsonNode root, Location location) {
    return at(root, location.keys());
  }

  private static JsonNode at(JsonNode root, List<String> keys) {
    JsonNode node = root;
    for (String key : keys) {
      node = child(node, key);
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  private static JsonNode child(JsonNode node, String key) {
    if (node.isObject()) {
      return node.get(key);
    }
    int index = index(key);
    return node.isArray() && index >= 0 ? node.get(index) : null;
  }

  /**
   * Puts {@code value} at {@code location}, making the objects and arrays on the way (an array where the next key
   * is a number), replacing a scalar in the way.
   *
   * @return whether it was put; not where the way meets an array and a key that is no index, or an index past the
   *     array's end (the size itself and -1 append; sjson would pad with nulls, which no request body wants)
   */
  public static boolean set(ObjectNode root, Location location, JsonNode value) {
    List<String> keys = location.keys();
    JsonNode container = root;
    for (int i = 0; i < keys.size() - 1; i++) {
      JsonNode next = child(container, keys.get(i));
      if (next == null || !next.isContainerNode()) {
        next = index(keys.get(i + 1)) >= APPEND ? JsonNodeFactory.instance.arrayNode()
            : JsonNodeFactory.instance.objectNode();
        if (!put(container, keys.get(i), next)) {
          return false;
        }
      }
      container = next;
    }
    return put(container, keys.get(keys.size() - 1), value.deepCopy());
  }

  private static boolean put(JsonNode container, String key, JsonNode value) {
    if (container instanceof ObjectNode object) {
      object.set(key, value);
      return true;
    }
    ArrayNode array = (ArrayNode) container;
    int index = index(key);
    if (index == APPEND) {
      array.add(value);
    } else if (index >= 0 && index < array.size()) {
      array.set(index, value);
    } else if (index == array.size()) {
      array.add(value);
    } else {
      return false;
    }
    return true;
  }

  /** Removes what is at {@code location}; returns whether something was there. */
  public static boolean delete(JsonNode root, Location location) {
    List<String> keys = location.keys();
    JsonNode container = at(root, keys.subList(0, keys.size() - 1));
    String last = keys.get(keys.size() - 1);
    if (container instanceof ObjectNode object) {
      return object.remove(last) != null;
    }
    int index = index(last);
    if (container instanceof ArrayNode array && index >= 0 && index < array.size()) {
      array.remove(index);
      return true;
    }
    return false;
  }

  /** The array index {@code key} names: its number, {@link #APPEND} for -1, or -2 when it is none. */
  private static int index(String key) {
    if (key.equals("-1")) {
      return APPEND;
    }
    if (key.isEmpty() || key.length() > 9) {
      return -2;
    }
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) < '0' || key.charAt(i) > '9') {
        return -2;
      }
    }
    return Integer.parseInt(key);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonPath other && text.equals(other.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
