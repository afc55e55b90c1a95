/**
 * Client dialects: the wire formats clients speak to the gateway (OpenAI chat completions and friends,
 * Anthropic Messages, OpenAI Responses, Gemini), on one routing core. Upstreams always speak OpenAI
 * chat completions (or, for {@code responses-api: native} providers, the Responses API as is).
 *
 * <p>Each translating dialect has a subpackage of pure translators (no I/O, no servlet or HttpClient
 * types, Jackson trees in and bytes out), unit-tested row by row against its spec in
 * {@code shared/reference}: a request translator (client body to a chat-completions body), an answer
 * translator (a chat completion to the client's answer), a {@link dev.llmproxy.dialect.StreamTranslator}
 * (chunks to the client's event grammar) and the client's error envelope. The relay chooses the dialect
 * by endpoint and calls them.
 */
package dev.llmproxy.dialect;
