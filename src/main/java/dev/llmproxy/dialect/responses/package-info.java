/**
 * The OpenAI Responses dialect's pure translators, for providers with {@code responses-api: translate}
 * (spec: {@code shared/reference/responses-gemini-translation.md} §1–2):
 * {@link dev.llmproxy.dialect.responses.ResponsesRequestTranslator} turns a {@code /v1/responses} body into
 * a chat-completions body and a {@link dev.llmproxy.dialect.responses.ResponsesContext},
 * {@link dev.llmproxy.dialect.responses.ResponsesResponseTranslator} turns a chat completion into a
 * Response object, and {@link dev.llmproxy.dialect.responses.ResponsesStreamTranslator} turns chunks into
 * the Responses event grammar, ending in {@code response.completed}, {@code response.incomplete} or
 * {@code response.failed}. HTTP errors stay OpenAI-shaped ({@code error/ErrorResponses}).
 *
 * <p>Nothing here does I/O or knows servlets, HttpClient or config: Jackson trees in, bytes out. Every
 * class is stateless and thread-safe except the stream translator, which is one object per response.
 */
package dev.llmproxy.dialect.responses;
