package dev.llmproxy.dialect.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.config.ProviderConfig;
import dev.llmproxy.dialect.Answer;
import dev.llmproxy.dialect.ClientCall;
import dev.llmproxy.dialect.ClientDialect;
import dev.llmproxy.dialect.ErrorResponse;
import dev.llmproxy.dialect.EventFraming;
import dev.llmproxy.dialect.JsonRequests;
import dev.llmproxy.dialect.TranslatedAnswer;
import dev.llmproxy.dialect.TranslatedCall;
import dev.llmproxy.dialect.TranslationException;
import dev.llmproxy.dialect.UpstreamCall;
import dev.llmproxy.dialect.openai.ClientRequestBody;
import dev.llmproxy.dialect.openai.OpenAiDialect;
import dev.llmproxy.error.ClientError;
import dev.llmproxy.routing.PoolMember;
import dev.llmproxy.stream.SseFrames;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}, all Codex CLI speaks): per provider
 * ({@code responses-api}) forwarded to the provider's own {@code /responses} as is, or translated to chat
 * completions ({@link ResponsesRequestTranslator}) with the answer translated back into a Response and its
 * event stream. A pool may mix both kinds. Errors are OpenAI's. Stateless.
 */
public final class ResponsesDialect implements ClientDialect {
  private static final Logger LOG = LoggerFactory.getLogger(ResponsesDialect.class);

  @Override
  public String name() {
    return "responses";
  }

  @Override
  public ClientCall parse(byte[] body) {
    ClientRequestBody raw = ClientRequestBody.parse(body);
    JsonNode tree = JsonRequests.parseObject(body);
    ResponsesRequest translated = null;
    TranslationException refused = null;
    try {
      translated = ResponsesRequestTranslator.translate(tree);
      if (!translated.notes().isEmpty()) {
        LOG.debug("left out of a translated Responses request: {}", translated.notes());
      }
    } catch (TranslationException e) {
      refused = e; // only an error if a translating provider is to serve it (see checkRoute)
    }
    return new Call(raw, translated == null ? null : chatCall(raw, translated), refused);
  }

  private static TranslatedCall chatCall(ClientRequestBody raw, ResponsesRequest translated) {
    return new TranslatedCall(raw.model(), raw.stream(), translated.chatBody(),
        () -> newAnswer(translated.context()));
  }

  private static Answer newAnswer(ResponsesContext context) {
    return new TranslatedAnswer(chat -> ResponsesResponseTranslator.toResponse(chat, context),
        new ResponsesStreamTranslator(context), EventFraming.SSE, SseFrames.KEEPALIVE);
  }

  private static final class Call implements ClientCall {
    private final ClientRequestBody raw;
    /** How translating providers get the request; {@code null} when it was refused. */
    private final ClientCall chat;
    private final TranslationException refused;

    Call(ClientRequestBody raw, ClientCall chat, TranslationException refused) {
      this.raw = raw;
      this.chat = chat;
      this.refused = refused;
    }

    @Override
    public String model() {
      return raw.model();
    }

    @Override
    public boolean stream() {
      return raw.stream();
    }

    /**
     * A request only a native provider can serve ({@code previous_response_id}: we keep no response state) is
     * refused when any candidate translates, so the answer never depends on which one rotation picks.
     */
    @Override
    public void checkRoute(List<PoolMember> members) {
      if (refused != null && members.stream().anyMatch(m -> !isNative(m))) {
        throw refused;
      }
    }

    /** Native providers get it as {@code reasoning.effort}, translating ones as {@code reasoning_effort}. */
    @Override
    public ClientCall withReasoningEffort(String effort) {
      return new Call(raw.withResponsesReasoningEffort(effort), chat == null ? null : chat.withReasoningEffort(effort),
          refused);
    }

    @Override
    public UpstreamCall upstreamCall(PoolMember member, String upstreamModel) {
      if (isNative(member)) {
        return OpenAiDialect.RESPONSES.passThrough(raw, member, upstreamModel);
      }
      return chat.upstreamCall(member, upstreamModel);
    }

    private static boolean isNative(PoolMember member) {
      return member.provider().responsesApi() == ProviderConfig.ResponsesApi.NATIVE;
    }
  }

  @Override
  public ErrorResponse error(ClientError error) {
    return OpenAiDialect.errorResponse(error);
  }
}
