package dev.llmproxy.dialect;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.error.GatewayException;
import dev.llmproxy.error.OpenAiError;
import dev.llmproxy.error.WebappJson;
import java.io.IOException;

/**
 * Reads a translating dialect's request body into a tree, with the same limits and the same words for a
 * malformed body as the OpenAI pass-through ({@code dev.llmproxy.dialect.openai.ClientRequestBody}), and
 * checks the model id the way routing needs it. Stateless.
 */
public final class JsonRequests {
  /** Model ids are short; a longer one is an attack or a mistake, and would be echoed in errors. */
  public static final int MAX_MODEL_LENGTH = 256;
  /**
   * Jackson's 20 MB cap on one string is below {@code max-request-body} (32 MiB by default): a body the chat
   * pass-through accepts (one large base64 image, say) was refused here with Jackson's own words. The body's size
   * is bounded before it is parsed; no string can be longer than it.
   */
  private static final ObjectMapper JSON = WebappJson.newMapper();

  static {
    JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE)
        .build());
  }

  private JsonRequests() {}

  /**
   * The body as a JSON object.
   *
   * @throws GatewayException 400 for malformed JSON, a body beyond Jackson's limits, or one that is not an object
   */
  public static JsonNode parseObject(byte[] body) {
    JsonNode tree;
    try {
      tree = JSON.readTree(body);
    } catch (IOException e) {
      throw unreadable(e);
    }
    if (tree == null || !tree.isObject()) {
      throw invalid("The request body must be a JSON object.");
    }
    return tree;
  }

  /**
   * A model id fit for routing.
   *
   * @throws GatewayException 400 when missing, not a string or too long
   */
  public static String model(JsonNode value) {
    if (value == null || value.isMissingNode() || value.isNull() || (value.isTextual() && value.asText().isEmpty())) {
      throw new GatewayException(400, OpenAiError.invalidRequest("model", "You must provide a model parameter."));
    }
    return model(value.isTextual() ? value.asText() : null);
  }

  /** {@link #model(JsonNode)} for an id taken from elsewhere (a URL). */
  public static String model(String id) {
    if (id == null) {
      throw new GatewayException(400, OpenAiError.invalidRequest("model", "'model' must be a string."));
    }
    if (id.length() > MAX_MODEL_LENGTH) {
      throw new GatewayException(400, OpenAiError.invalidRequest("model",
          "'model' is longer than " + MAX_MODEL_LENGTH + " characters."));
    }
    return id;
  }

  /**
   * The 400 for a body Jackson could not read: which limit it exceeds, or what is malformed and where (the
   * location is absent for some of Jackson's errors).
   */
  public static GatewayException unreadable(IOException e) {
    if (e instanceof StreamConstraintsException limit) {
      return invalid("The request body exceeds a JSON limit: " + limit.getOriginalMessage());
    }
    if (e instanceof JsonProcessingException malformed) {
      JsonLocation at = malformed.getLocation();
      return invalid("The request body is not valid JSON: " + malformed.getOriginalMessage()
          + (at == null || at.getByteOffset() < 0 ? "." : " (at byte " + at.getByteOffset() + ")."));
    }
    return invalid("The request body could not be read as JSON.");
  }

  private static GatewayException invalid(String message) {
    return new GatewayException(400, OpenAiError.invalidJson(message));
  }
}
