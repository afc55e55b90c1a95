package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A translated {@code POST /v1/messages} request.
 *
 * <p>{@code chatBody} is the chat-completions body with {@code model} set to the client's model string:
 * the relay replaces it with the upstream's name per attempt, and clamps {@code max_tokens} per model.
 * The node is the caller's to change; copy it before changing it for one attempt while keeping it for the
 * next. Otherwise immutable.
 *
 * @param chatBody the upstream body
 * @param model the model the client asked for
 * @param stream whether the client asked for a stream
 * @param context what the answer translators need
 * @param droppedTools names of server tools (web search, bash, ...) left out because no upstream runs them;
 *     worth a log line
 */
public record MessagesRequest(
    ObjectNode chatBody, String model, boolean stream, MessagesContext context, List<String> droppedTools) {}
