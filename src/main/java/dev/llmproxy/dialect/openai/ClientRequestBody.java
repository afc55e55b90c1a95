package dev.llmproxy.dialect.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.JsonRequests;
import dev.llmproxy.error.GatewayException;
import dev.llmproxy.error.OpenAiError;
import dev.llmproxy.error.WebappJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A client's JSON request body, parsed only as far as routing needs: the top-level {@code model}
 * (and where it sits in the bytes) and {@code stream}. Every other byte is forwarded untouched;
 * {@link #withModel} splices the upstream model id in place. The whole body is still checked to be one
 * well-formed JSON object within Jackson's limits (nesting depth, name, number and string lengths), so
 * nothing an upstream parser might read differently gets through; a second top-level {@code model} is
 * refused, because routing would read one and a first-key parser upstream the other. For usage records and token
 * limits, {@link #withModelAndUsage} also asks a stream for its usage ({@code stream_options.include_usage}).
 * Immutable.
 */
public final class ClientRequestBody {
  private static final JsonFactory JSON = WebappJson.newFactory();
  /** For the rare {@code stream_options} that must be rewritten; thread-safe once built. */
  private static final ObjectMapper TREES = WebappJson.newMapper();
  /** Model ids are short; a longer one is an attack or a mistake, and would be echoed in errors. */
  static final int MAX_MODEL_LENGTH = JsonRequests.MAX_MODEL_LENGTH;

  private final byte[] bytes;
  private final String model;
  private final int modelStart;
  private final int modelEnd;
  private final boolean stream;
  /** Where {@code stream_options}'s value is ({@code -1} when absent), and whether it asks for usage. */
  private final int optionsStart;
  private final int optionsEnd;
  private final boolean usageRequested;

  private ClientRequestBody(byte[] bytes, String model, int modelStart, int modelEnd, boolean stream,
      int optionsStart, int optionsEnd, boolean usageRequested) {
    this.bytes = bytes;
    this.model = model;
    this.modelStart = modelStart;
    this.modelEnd = modelEnd;
    this.stream = stream;
    this.optionsStart = optionsStart;
    this.optionsEnd = optionsEnd;
    this.usageRequested = usageRequested;
  }

  /**
   * Validates that the body is one JSON object and finds its routing fields.
   *
   * @throws GatewayException 400 for malformed JSON, a non-object body or a missing/non-string model
   */
  public static ClientRequestBody parse(byte[] bytes) {
    String model = null;
    int start = -1;
    int end = -1;
    boolean stream = false;
    int optionsStart = -1;
    int optionsEnd = -1;
    boolean usage = false;
    try (JsonParser p = JSON.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw invalid("The request body must be a JSON object.");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("model".equals(name)) {
          if (start >= 0) {
            throw new GatewayException(400, OpenAiError.invalidRequest("model", "'model' appears more than once."));
          }
          if (value != JsonToken.VALUE_STRING) {
            throw new GatewayException(400, OpenAiError.invalidRequest("model", "'model' must be a string."));
          }
          start = (int) p.currentTokenLocation().getByteOffset();
          model = p.getText();
          end = (int) p.currentLocation().getByteOffset();
          if (model.length() > MAX_MODEL_LENGTH) {
            throw new GatewayException(400, OpenAiError.invalidRequest("model",
                "'model' is longer than " + MAX_MODEL_LENGTH + " characters."));
          }
        } else if ("stream".equals(name)) {
          if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE && value != JsonToken.VALUE_NULL) {
            // "true" or 1 would be a JSON answer to us and perhaps a stream to the upstream.
            throw new GatewayException(400, OpenAiError.invalidRequest("stream", "'stream' must be a boolean."));
          }
          stream = value == JsonToken.VALUE_TRUE;
        } else if ("stream_options".equals(name)) {
          optionsStart = (int) p.currentTokenLocation().getByteOffset();
          if (value == JsonToken.START_OBJECT) {
            usage = asksForUsage(p);
          } else {
            p.skipChildren();
          }
          p.finishToken();
          optionsEnd = (int) p.currentLocation().getByteOffset();
        } else {
          p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw invalid("The request body is not valid JSON: unexpected content after the object.");
      }
    } catch (IOException e) {
      // Malformed, or beyond Jackson's limits (nesting depth, name, number or string length).
      throw JsonRequests.unreadable(e);
    }
    if (model == null || model.isEmpty()) {
      throw new GatewayException(400, OpenAiError.invalidRequest("model", "You must provide a model parameter."));
    }
    return new ClientRequestBody(bytes, model, start, end, stream, optionsStart, optionsEnd, usage);
  }

  /** Reads the {@code stream_options} object the parser is at, to its end: {@code include_usage: true}? */
  private static boolean asksForUsage(JsonParser p) throws IOException {
    boolean usage = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if ("include_usage".equals(name)) {
        usage = value == JsonToken.VALUE_TRUE;
      }
      p.skipChildren();
    }
    return usage;
  }

  private static GatewayException invalid(String message) {
    return new GatewayException(400, OpenAiError.invalidJson(message));
  }

  public String model() {
    return model;
  }

  public boolean stream() {
    return stream;
  }

  /** Whether the client asked a stream for its usage ({@code stream_options.include_usage: true}). */
  public boolean usageRequested() {
    return usageRequested;
  }

  /**
   * The body with {@code model} replaced and, for a stream that does not ask for its usage, {@code
   * stream_options.include_usage} set (added, or set in the client's {@code stream_options}).
   */
  public byte[] withModelAndUsage(String upstreamModel) {
    if (!stream || usageRequested) {
      return withModel(upstreamModel);
    }
    int optionsFrom;
    int optionsTo;
    String options;
    if (optionsStart < 0) {
      optionsFrom = indexOfOpeningBrace() + 1;
      optionsTo = optionsFrom;
      options = "\"stream_options\":{\"include_usage\":true},";
    } else {
      optionsFrom = optionsStart;
      optionsTo = optionsEnd;
      options = withUsage(bytes, optionsStart, optionsEnd);
    }
    byte[] modelValue = upstreamModel.equals(model) ? Arrays.copyOfRange(bytes, modelStart, modelEnd)
        : TopLevelModel.quoted(upstreamModel);
    return splice(bytes, modelStart, modelEnd, modelValue, optionsFrom, optionsTo,
        options.getBytes(StandardCharsets.UTF_8));
  }

  private int indexOfOpeningBrace() {
    int i = 0;
    while (bytes[i] != '{') {
      i++; // only whitespace (or a byte order mark) before it: the parser accepted the body
    }
    return i;
  }

  /** The client's {@code stream_options} value with {@code include_usage: true} in it. */
  private static String withUsage(byte[] body, int start, int end) {
    try {
      JsonNode value = TREES.readTree(body, start, end - start);
      ObjectNode options = value != null && value.isObject() ? (ObjectNode) value : TREES.createObjectNode();
      options.put("include_usage", true);
      return TREES.writeValueAsString(options);
    } catch (IOException e) {
      return "{\"include_usage\":true}";
    }
  }

  /**
   * {@code body} with two disjoint ranges replaced, in one copy (this runs for every stream request); the ranges
   * come in either order.
   */
  private static byte[] splice(byte[] body, int aStart, int aEnd, byte[] a, int bStart, int bEnd, byte[] b) {
    if (aStart > bStart) {
      return splice(body, bStart, bEnd, b, aStart, aEnd, a);
    }
    byte[] out = new byte[body.length - (aEnd - aStart) - (bEnd - bStart) + a.length + b.length];
    int at = 0;
    System.arraycopy(body, 0, out, at, aStart);
    at += aStart;
    System.arraycopy(a, 0, out, at, a.length);
    at += a.length;
    System.arraycopy(body, aEnd, out, at, bStart - aEnd);
    at += bStart - aEnd;
    System.arraycopy(b, 0, out, at, b.length);
    at += b.length;
    System.arraycopy(body, bEnd, out, at, body.length - bEnd);
    return out;
  }

  /**
   * This body asking for {@code effort} as chat completions do ({@code reasoning_effort}), {@code null} for none;
   * parsed again. Only for a model with a thinking suffix: other requests keep their bytes.
   */
  public ClientRequestBody withChatReasoningEffort(String effort) {
    return parse(ReasoningEffortRewrite.chat(bytes, effort));
  }

  /** This body asking for {@code effort} as the Responses API does ({@code reasoning.effort}); parsed again. */
  public ClientRequestBody withResponsesReasoningEffort(String effort) {
    return parse(ReasoningEffortRewrite.responses(bytes, effort));
  }

  /** The body with {@code model} replaced; the same array when the id does not change. */
  public byte[] withModel(String upstreamModel) {
    return upstreamModel.equals(model) ? bytes : TopLevelModel.splice(bytes, modelStart, modelEnd, upstreamModel);
  }
}
