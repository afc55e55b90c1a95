package dev.llmproxy.error;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Serialises {@link OpenAiError} to the one wire shape used everywhere (servlet writer, Jersey mapper,
 * in-stream error events). Stateless and thread-safe.
 */
public final class ErrorResponses {
  private static final JsonFactory JSON = WebappJson.newFactory();

  private ErrorResponses() {}

  /** {@code {"error":{"message":..,"type":..,"param":..,"code":..}}} as UTF-8 bytes. */
  public static byte[] toJson(OpenAiError error) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeObjectFieldStart("error");
      g.writeStringField("message", error.message());
      g.writeStringField("type", error.typeName());
      g.writeStringField("param", error.param());
      g.writeStringField("code", error.code());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Wraps a non-JSON upstream error text in the OpenAI shape, with a type derived from the status. */
  public static OpenAiError fromUpstreamStatus(int status, String text) {
    String message = text == null || text.isBlank() ? "Upstream returned HTTP " + status : text;
    if (status == 401) {
      return new OpenAiError(message, ErrorType.AUTHENTICATION, null, "invalid_api_key");
    }
    if (status == 403) {
      return new OpenAiError(message, ErrorType.PERMISSION, null, null);
    }
    if (status == 429) {
      return new OpenAiError(message, ErrorType.RATE_LIMIT, null, "rate_limit_exceeded");
    }
    if (status >= 500) {
      return new OpenAiError(message, ErrorType.SERVER, null, null);
    }
    return new OpenAiError(message, ErrorType.INVALID_REQUEST, null, null);
  }
}
