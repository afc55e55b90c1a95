package dev.llmproxy.management;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads management request bodies as plain JSON values (maps, lists, scalars) so that every malformed
 * body gets the same 400 {@code invalid body}, whatever Jackson's own mappers would have said. Stateless.
 */
final class JsonBodies {
  private JsonBodies() {}

  static Object parse(String body) {
    if (body == null || body.isBlank()) {
      throw ManagementException.invalidBody("the request body is empty; expected JSON");
    }
    try {
      return ManagementErrorBody.JSON.readValue(body, Object.class);
    } catch (IOException e) {
      throw ManagementException.invalidBody("the request body is not valid JSON");
    }
  }

  /** {@code value} as a JSON object, or 400 naming what was expected. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object value, String what) {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw ManagementException.invalidBody(what + " must be a JSON object");
  }

  /**
   * A JSON array, or {@code {"items":[...]}} (CLIProxyAPI accepts both for list PUTs), empty or not: the two forms
   * mean the same, so whether an empty list may be written is the caller's rule, the same for both.
   */
  static List<Object> items(Object body) {
    if (body instanceof List<?> list) {
      return new ArrayList<>(list);
    }
    if (body instanceof Map<?, ?> map && map.get("items") instanceof List<?> list) {
      return new ArrayList<>(list);
    }
    throw ManagementException.invalidBody("expected a JSON array, or {\"items\":[...]}");
  }

  /** Optional integer field; 400 when present but not a whole number. */
  static Integer integer(Map<String, Object> body, String field) {
    Object v = body.get(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).intValue();
    }
    throw ManagementException.invalidBody(field + " must be a whole number");
  }

  /** Optional string field; 400 when present but not a string. */
  static String string(Map<String, Object> body, String field) {
    Object v = body.get(field);
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    throw ManagementException.invalidBody(field + " must be a string");
  }

  /** A copy where JSON {@code null} inside objects, meaning "absent", is dropped. */
  static Object withoutNulls(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> {
        if (v != null) {
          out.put(String.valueOf(k), withoutNulls(v));
        }
      });
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object item : list) {
        out.add(withoutNulls(item));
      }
      return out;
    }
    return value;
  }
}
