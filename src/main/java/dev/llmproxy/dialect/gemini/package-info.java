/**
 * The Gemini dialect's pure translators (spec: {@code shared/reference/responses-gemini-translation.md}
 * §3–4), for Gemini CLI and Google's SDKs: {@link dev.llmproxy.dialect.gemini.GeminiRequestTranslator} turns
 * a {@code generateContent} body into a chat-completions body,
 * {@link dev.llmproxy.dialect.gemini.GeminiResponseTranslator} turns a chat completion into a
 * {@code GenerateContentResponse}, {@link dev.llmproxy.dialect.gemini.GeminiStreamTranslator} turns chunks
 * into {@code streamGenerateContent} objects, {@link dev.llmproxy.dialect.gemini.GeminiErrors} renders
 * Google's error envelope, {@link dev.llmproxy.dialect.gemini.GeminiTokenCount} answers {@code countTokens}
 * and {@link dev.llmproxy.dialect.gemini.GeminiModelList} {@code /v1beta/models}.
 *
 * <p>Nothing here does I/O or knows servlets, HttpClient or config: Jackson trees in, bytes out. Every
 * class is stateless and thread-safe except the stream translator, which is one object per response.
 */
package dev.llmproxy.dialect.gemini;
