package dev.llmproxy.dialect.anthropic;

/**
 * What the answer translators need to know about the request: carried from
 * {@link MessagesRequestTranslator} to {@link MessagesResponseTranslator} or
 * {@link MessagesStreamTranslator} by the relay (never stored anywhere else, so any instance can answer).
 * Immutable.
 *
 * @param messageId the {@code msg_…} id of the answer, the same for every upstream attempt
 * @param clientModel the model the client asked for, which the answer reports (not the upstream's name)
 * @param inputTokens the local estimate of the prompt's tokens, for {@code message_start} and answers
 *     whose upstream reports no usage
 * @param toolNames upstream tool names back to the client's
 */
public record MessagesContext(String messageId, String clientModel, long inputTokens, ToolNames toolNames) {}
