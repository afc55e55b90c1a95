package dev.llmproxy.dialect.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.llmproxy.error.WebappJson;
import java.io.IOException;

/**
 * Replaces the top-level {@code model} string of a JSON object in place, every other byte untouched:
 * in request bodies (the upstream's id) and, with {@code force-mapping}, in answers and streamed
 * events (the id the client asked for). Stateless.
 */
public final class TopLevelModel {
  private static final JsonFactory JSON = WebappJson.newFactory();

  private TopLevelModel() {}

  /** {@code json} with its top-level {@code model} string set to {@code model}; unchanged when it has none. */
  public static byte[] replace(byte[] json, String model) {
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return json;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("model".equals(name) && value == JsonToken.VALUE_STRING) {
          int start = (int) p.currentTokenLocation().getByteOffset();
          p.finishToken(); // strings are parsed lazily: only now does the location pass the closing quote
          int end = (int) p.currentLocation().getByteOffset();
          return splice(json, start, end, model);
        }
        p.skipChildren();
      }
    } catch (IOException | RuntimeException e) {
      // Not JSON after all: relay it as it came.
    }
    return json;
  }

  /** {@code bytes} with {@code [start, end)} (a JSON string token) replaced by {@code value} quoted. */
  public static byte[] splice(byte[] bytes, int start, int end, String value) {
    byte[] quoted = quoted(value);
    byte[] out = new byte[bytes.length - (end - start) + quoted.length];
    System.arraycopy(bytes, 0, out, 0, start);
    System.arraycopy(quoted, 0, out, start, quoted.length);
    System.arraycopy(bytes, end, out, start + quoted.length, bytes.length - end);
    return out;
  }

  /** {@code s} as a JSON string, quotes included, in UTF-8. */
  static byte[] quoted(String s) {
    byte[] inner = JsonStringEncoder.getInstance().quoteAsUTF8(s);
    byte[] out = new byte[inner.length + 2];
    out[0] = '"';
    System.arraycopy(inner, 0, out, 1, inner.length);
    out[out.length - 1] = '"';
    return out;
  }
}
