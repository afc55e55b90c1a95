package dev.llmproxy.dialect.openai;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The model splice rewrites JSON that clients and upstreams send. Whatever the bytes: it throws nothing;
 * it returns them untouched, or with one JSON string token replaced by the quoted id and every other
 * byte in place; splicing again changes nothing more; and when the bytes are valid UTF-8, the first
 * top-level {@code model} string now reads as the id. Seeds in {@code TopLevelModelFuzzTestInputs/};
 * README says how to fuzz it.
 *
 * <p>Why only for valid UTF-8: Jackson checks a field name's bytes only when it meets the name for the
 * first time, so whether a name with invalid UTF-8 stops a parse depends on the names its factory saw
 * before. The splice is still exact for such input; only reading it back is not repeatable.
 */
class TopLevelModelFuzzTest {
  /** Ids come from config: plain, with a prefix, and with characters JSON must escape. */
  private static final List<String> MODELS = List.of("m", "or/claude-sonnet", "caf\u00e9 \"\\\n\u2603");
  private static final JsonFactory JSON = JsonFactory.builder()
      .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build();

  @FuzzTest
  void replacesOneStringTokenAndNothingElse(byte[] json) throws IOException {
    for (String model : MODELS) {
      byte[] out = TopLevelModel.replace(json, model);
      if (out == json) {
        continue;
      }
      assertTrue(isOneStringTokenReplaced(json, out, quoted(model)), model);
      assertArrayEquals(out, TopLevelModel.replace(out, model), "a second splice changes nothing");
      if (isUtf8(json)) {
        assertEquals(model, firstTopLevelModelString(out));
      }
    }
  }

  /** {@code out} is {@code json} with some {@code "..."} token at one offset replaced by {@code quoted}. */
  private static boolean isOneStringTokenReplaced(byte[] json, byte[] out, byte[] quoted) {
    int end = out.length - quoted.length;
    for (int start = 0; start <= end; start++) {
      int tail = out.length - start - quoted.length;
      int originalEnd = json.length - tail;
      if (originalEnd - start >= 2 && json[start] == '"' && json[originalEnd - 1] == '"'
          && Arrays.equals(json, 0, start, out, 0, start)
          && Arrays.equals(quoted, 0, quoted.length, out, start, start + quoted.length)
          && Arrays.equals(json, originalEnd, json.length, out, start + quoted.length, out.length)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] quoted(String model) {
    return ("\"" + new String(JsonStringEncoder.getInstance().quoteAsString(model)) + "\"")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** The first top-level {@code model} field's string, found as the splice finds it. */
  private static String firstTopLevelModelString(byte[] json) throws IOException {
    try (JsonParser p = JSON.createParser(json)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        if (p.nextToken() == JsonToken.VALUE_STRING && "model".equals(name)) {
          return p.getText();
        }
        p.skipChildren();
      }
    }
    throw new AssertionError("the spliced JSON has no top-level model string");
  }
}
