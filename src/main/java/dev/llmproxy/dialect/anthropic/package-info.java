/**
 * The Anthropic Messages dialect's pure translators (spec: {@code shared/reference/anthropic-translation.md}):
 * {@link dev.llmproxy.dialect.anthropic.MessagesRequestTranslator} turns a {@code /v1/messages} body into a
 * chat-completions body, {@link dev.llmproxy.dialect.anthropic.MessagesResponseTranslator} turns a chat
 * completion into a Message, {@link dev.llmproxy.dialect.anthropic.MessagesStreamTranslator} turns chunks
 * into Anthropic's event grammar, {@link dev.llmproxy.dialect.anthropic.AnthropicErrors} renders the error
 * envelope, {@link dev.llmproxy.dialect.anthropic.AnthropicTokenCount} answers {@code count_tokens} and
 * {@link dev.llmproxy.dialect.anthropic.AnthropicModelList} the model list.
 *
 * <p>Nothing here does I/O or knows servlets, HttpClient or config: Jackson trees in, bytes out. Every
 * class is stateless and thread-safe except the stream translator, which is one object per response.
 */
package dev.llmproxy.dialect.anthropic;
