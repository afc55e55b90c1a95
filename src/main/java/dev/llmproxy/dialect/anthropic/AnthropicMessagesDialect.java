package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.dialect.ChatBodies;
import dev.llmproxy.dialect.ClientCall;
import dev.llmproxy.dialect.ClientDialect;
import dev.llmproxy.dialect.ErrorResponse;
import dev.llmproxy.dialect.EventFraming;
import dev.llmproxy.dialect.JsonRequests;
import dev.llmproxy.dialect.TranslatedAnswer;
import dev.llmproxy.dialect.UpstreamCall;
import dev.llmproxy.dialect.UpstreamProtocol;
import dev.llmproxy.error.ClientError;
import dev.llmproxy.routing.PoolMember;
import java.util.Map;
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
    ChatBodies bodies = new ChatBodies(request.chatBody());
    MessagesContext context = request.context();
    return new ClientCall() {
      @Override
      public String model() {
        return request.model();
      }

      @Override
      public boolean stream() {
        return request.stream();
      }

      @Override
      public UpstreamCall upstreamCall(PoolMember member, String upstreamModel) {
        return new UpstreamCall("/chat/completions", bodies.forAttempt(member, upstreamModel), request.stream(),
            UpstreamProtocol.CHAT, new TranslatedAnswer(chat -> MessagesResponseTranslator.toMessage(chat, context),
                new MessagesStreamTranslator(context), EventFraming.SSE, AnthropicEvents.PING_FRAME));
      }
    };
  }

  @Override
  public ErrorResponse error(ClientError error) {
    return errorResponse(error);
  }

  static ErrorResponse errorResponse(ClientError error) {
    String retryAfter = error.retryAfterSeconds();
    return new ErrorResponse(error.status(), "application/json", AnthropicErrors.body(error.status(), error.message()),
        retryAfter == null ? Map.of() : Map.of("Retry-After", retryAfter));
  }
}
