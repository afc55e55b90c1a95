package dev.llmproxy.dialect.openai;

import dev.llmproxy.dialect.ClientCall;
import dev.llmproxy.dialect.ClientDialect;
import dev.llmproxy.dialect.ErrorResponse;
import dev.llmproxy.dialect.UpstreamCall;
import dev.llmproxy.dialect.UpstreamProtocol;
import dev.llmproxy.error.ClientError;
import dev.llmproxy.error.ErrorResponses;
import dev.llmproxy.routing.PoolMember;

/**
 * OpenAI's own endpoints, passed through: the client's body goes upstream byte for byte with only
 * {@code model} spliced in, and the answer comes back as the upstream sent it ({@link PassThroughAnswer}).
 * One instance per endpoint; stateless.
 *
 * @param upstreamPath the path appended to {@code base-url}
 * @param protocol what that endpoint streams, if anything
 */
public record OpenAiDialect(String upstreamPath, UpstreamProtocol protocol) implements ClientDialect {

  public static final OpenAiDialect CHAT = new OpenAiDialect("/chat/completions", UpstreamProtocol.CHAT);
  public static final OpenAiDialect COMPLETIONS = new OpenAiDialect("/completions", UpstreamProtocol.CHAT);
  public static final OpenAiDialect EMBEDDINGS = new OpenAiDialect("/embeddings", UpstreamProtocol.EMBEDDINGS);
  public static final OpenAiDialect RESPONSES = new OpenAiDialect("/responses", UpstreamProtocol.RESPONSES);

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public ClientCall parse(byte[] body) {
    return call(ClientRequestBody.parse(body));
  }

  private ClientCall call(ClientRequestBody parsed) {
    return new ClientCall() {
      @Override
      public String model() {
        return parsed.model();
      }

      @Override
      public boolean stream() {
        return parsed.stream();
      }

      @Override
      public UpstreamCall upstreamCall(PoolMember member, String upstreamModel) {
        return passThrough(parsed, member, upstreamModel);
      }

      @Override
      public ClientCall withReasoningEffort(String effort) {
        return call(withEffort(parsed, effort));
      }

      @Override
      public ClientCall reportingUsage() {
        if (protocol != UpstreamProtocol.CHAT || !parsed.stream() || parsed.usageRequested()) {
          return this;
        }
        ClientCall plain = this;
        return new ClientCall() {
          @Override
          public String model() {
            return plain.model();
          }

          @Override
          public boolean stream() {
            return true;
          }

          @Override
          public UpstreamCall upstreamCall(PoolMember member, String upstreamModel) {
            return new UpstreamCall(upstreamPath, parsed.withModelAndUsage(upstreamModel), true, protocol,
                new PassThroughAnswer(member.forceMapping() ? parsed.model() : null, true, true));
          }
        };
      }
    };
  }

  /**
   * {@code parsed} asking for {@code effort} in this endpoint's words. Legacy completions and embeddings have no
   * such field: their suffix only chose the model.
   */
  private ClientRequestBody withEffort(ClientRequestBody parsed, String effort) {
    if (protocol == UpstreamProtocol.RESPONSES) {
      return parsed.withResponsesReasoningEffort(effort);
    }
    return upstreamPath.equals(CHAT.upstreamPath) ? parsed.withChatReasoningEffort(effort) : parsed;
  }

  /** The client's own request for {@code member}, with only the model changed. */
  public UpstreamCall passThrough(ClientRequestBody parsed, PoolMember member, String upstreamModel) {
    return new UpstreamCall(upstreamPath, parsed.withModel(upstreamModel), parsed.stream(), protocol,
        new PassThroughAnswer(member.forceMapping() ? parsed.model() : null, protocol == UpstreamProtocol.CHAT, false));
  }

  @Override
  public ErrorResponse error(ClientError error) {
    return errorResponse(error);
  }

  /** The OpenAI error response: {@code {"error":{...}}} with the status and {@code Retry-After}. */
  public static ErrorResponse errorResponse(ClientError error) {
    return ErrorResponse.json(error, ErrorResponses.toJson(error.error()));
  }
}
