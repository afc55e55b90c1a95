package dev.llmproxy.dialect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.routing.PoolMember;
import java.util.function.Supplier;

/**
 * A client request translated once into a chat-completions body, as the translating dialects send it: each attempt
 * posts that body to the upstream's {@code /chat/completions} with the attempt's model and cap ({@link ChatBodies}),
 * and turns the answer back with a new {@link Answer} of its own. Shared by the attempts of one request, which run
 * one after another.
 */
public final class TranslatedCall implements ClientCall {
  private final String model;
  private final boolean stream;
  private final ChatBodies bodies;
  private final Supplier<Answer> newAnswer;

  /**
   * @param model the model as the client named it
   * @param chatBody the translated body; changed in place for each attempt
   * @param newAnswer makes the answer translator of one attempt
   */
  public TranslatedCall(String model, boolean stream, ObjectNode chatBody, Supplier<Answer> newAnswer) {
    this(model, stream, new ChatBodies(chatBody), newAnswer);
  }

  private TranslatedCall(String model, boolean stream, ChatBodies bodies, Supplier<Answer> newAnswer) {
    this.model = model;
    this.stream = stream;
    this.bodies = bodies;
    this.newAnswer = newAnswer;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public boolean stream() {
    return stream;
  }

  /** The suffix's effort replaces the one the translation made of the request's own thinking settings. */
  @Override
  public ClientCall withReasoningEffort(String effort) {
    return new TranslatedCall(model, stream, bodies.withReasoningEffort(effort), newAnswer);
  }

  @Override
  public UpstreamCall upstreamCall(PoolMember member, String upstreamModel) {
    return new UpstreamCall("/chat/completions", bodies.forAttempt(member, upstreamModel), stream,
        UpstreamProtocol.CHAT, newAnswer.get());
  }
}
