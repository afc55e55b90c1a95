package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.dialect.ClientCall;
import dev.llmproxy.dialect.ClientDialect;
import dev.llmproxy.dialect.ErrorResponse;
import dev.llmproxy.dialect.EventFraming;
import dev.llmproxy.dialect.JsonRequests;
import dev.llmproxy.dialect.TranslatedAnswer;
import dev.llmproxy.dialect.TranslatedCall;
import dev.llmproxy.error.ClientError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}), served by chat-completions upstreams: the request is
 * translated once ({@link MessagesRequestTranslator}), each attempt gets it with its upstream model and cap,
 * and the answer comes back as a Message or its event stream. Errors use Anthropic's envelope, its type
 * taken from the status. Stateless.
 */
public final class AnthropicMessagesDialect implements ClientDialect {
  private static final Logger LOG = LoggerFactory.getLogger(AnthropicMessagesDialect.class);

  @Override
  public String name() {
    return "anthropic";
  }

  @Override
  public ClientCall parse(byte[] body) {
    JsonNode tree = JsonRequests.parseObject(body);
    JsonRequests.model(tree.get("model"));
    MessagesRequest request = MessagesRequestTranslator.translate(tree);
    if (!request.droppedTools().isEmpty()) {
      LOG.debug("server tools no upstream runs were left out: {}", request.droppedTools());
    }
    MessagesContext context = request.context();
    return new TranslatedCall(request.model(), request.stream(), request.chatBody(),
        () -> new TranslatedAnswer(chat -> MessagesResponseTranslator.toMessage(chat, context),
            new MessagesStreamTranslator(context), EventFraming.SSE, AnthropicEvents.PING_FRAME));
  }

  @Override
  public ErrorResponse error(ClientError error) {
    return errorResponse(error);
  }

  static ErrorResponse errorResponse(ClientError error) {
    return ErrorResponse.json(error, AnthropicErrors.body(error.status(), error.message()));
  }
}
