package dev.llmproxy.dialect.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.llmproxy.dialect.JsonRequests;
import dev.llmproxy.error.GatewayException;
import dev.llmproxy.error.OpenAiError;
import dev.llmproxy.error.WebappJson;
import java.io.IOException;

/**
 * A client's JSON request body, parsed only as far as routing needs: the top-level {@code model}
 * (and where it sits in the bytes) and {@code stream}. Every other byte is forwarded untouched;
 * {@link #withModel} splices the upstream model id in place. The whole body is still checked to be one
 * well-formed JSON object within Jackson's limits (nesting depth, name, number and string lengths), so
 * nothing an upstream parser might read differently gets through; a second top-level {@code model} is
 * refused, because routing would read one and a first-key parser upstream the other. Immutable.
 */
public final class ClientRequestBody {
  private static final JsonFactory JSON = WebappJson.newFactory();
  /** Model ids are short; a longer one is an attack or a mistake, and would be echoed in errors. */
  static final int MAX_MODEL_LENGTH = JsonRequests.MAX_MODEL_LENGTH;

  private final byte[] bytes;
  private final String model;
  private final int modelStart;
  private final int modelEnd;
  private final boolean stream;

  private ClientRequestBody(byte[] bytes, String model, int modelStart, int modelEnd, boolean stream) {
    this.bytes = bytes;
    this.model = model;
    this.modelStart = modelStart;
    this.modelEnd = modelEnd;
    this.stream = stream;
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
          stream = value == JsonToken.VALUE_TRUE;
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
    return new ClientRequestBody(bytes, model, start, end, stream);
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

  /** The body with {@code model} replaced; the same array when the id does not change. */
  public byte[] withModel(String upstreamModel) {
    return upstreamModel.equals(model) ? bytes : TopLevelModel.splice(bytes, modelStart, modelEnd, upstreamModel);
  }
}
