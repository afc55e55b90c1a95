package dev.llmproxy.dialect.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.JsonTrees;
import dev.llmproxy.error.ClientError;

/**
 * Google's error envelope, {@code {"error":{"code":<HTTP status>,"message","status"}}}, for every error a
 * Gemini client sees: HTTP errors, client-auth failures on the Gemini paths, and the last element of a
 * stream that failed after it started. {@code status} is the canonical code Google uses for the HTTP
 * status (Google's SDKs read it). Stateless.
 */
public final class GeminiErrors {
  /** The error code of a request without a key ({@code OpenAiError.missingApiKey}). */
  private static final String MISSING_API_KEY = "missing_api_key";

  private GeminiErrors() {}

  /**
   * The message a Gemini client reads for {@code error}: the gateway's own, except where it names the way
   * OpenAI clients send something that Gemini clients send another way.
   */
  static String message(ClientError error) {
    if (MISSING_API_KEY.equals(error.error().code())) {
      return "Missing API key. Send it in the 'x-goog-api-key' header or as the 'key' query parameter (?key=<key>).";
    }
    return error.message();
  }

  /** {@code INVALID_ARGUMENT} for 400, {@code RESOURCE_EXHAUSTED} for 429, ... ({@code INTERNAL} when unknown). */
  public static String status(int httpStatus) {
    return switch (httpStatus) {
      case 400, 413 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 402, 412 -> "FAILED_PRECONDITION";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ABORTED";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 499 -> "CANCELLED";
      case 501 -> "UNIMPLEMENTED";
      case 502, 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> httpStatus >= 400 && httpStatus < 500 ? "INVALID_ARGUMENT" : "INTERNAL";
    };
  }

  /** The error body, UTF-8 JSON. */
  public static byte[] body(int httpStatus, String message) {
    ObjectNode body = GeminiResponseJson.NODES.objectNode();
    body.putObject("error").put("code", httpStatus).put("message", message).put("status", status(httpStatus));
    return JsonTrees.bytes(body);
  }
}
