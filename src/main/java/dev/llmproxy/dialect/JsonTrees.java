package dev.llmproxy.dialect;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.error.WebappJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes the Jackson trees the translators build as compact JSON, with a mapper from {@link WebappJson}
 * ({@code JsonNode.toString()} would recycle buffers through thread-locals), and parses the JSON strings they
 * read (tool arguments). Thread-safe: the mapper is shared and never reconfigured.
 */
public final class JsonTrees {
  /** Text after the value makes it no JSON: {@code {"a":1} junk} was read as {@code {"a":1}}, a call half-parsed. */
  private static final ObjectMapper MAPPER = WebappJson.newMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonTrees() {}

  /** The tree of the JSON text {@code json}, which must hold one value and nothing after it; {@code null} if none. */
  public static JsonNode parse(String json) throws JsonProcessingException {
    return MAPPER.readTree(json);
  }

  /** A generator writing UTF-8 JSON to {@code out}; the caller closes it. */
  public static JsonGenerator newGenerator(OutputStream out) throws IOException {
    return MAPPER.getFactory().createGenerator(out);
  }

  /** {@code node} as compact JSON text. */
  public static String text(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code node} as compact UTF-8 JSON. */
  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      // A tree of plain nodes always serialises; failing here is a bug worth seeing.
      throw new UncheckedIOException(e);
    }
  }
}
