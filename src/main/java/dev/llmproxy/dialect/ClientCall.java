package dev.llmproxy.dialect;

import dev.llmproxy.routing.PoolMember;

/**
 * One parsed client request: what routing needs (the model and whether the client wants a stream) and how
 * to ask each candidate upstream. Immutable once parsed; shared by the attempts of one request.
 */
public interface ClientCall {

  /**
   * The model as the client named it: an alias, perhaps with a provider prefix or a {@link ThinkingSuffix}; or
   * {@code auto}.
   */
  String model();

  /** Whether the client asked for a streamed answer. */
  boolean stream();

  /**
   * The answer the gateway gives itself, without calling an upstream (token counting), as JSON; or
   * {@code null} when the request goes upstream. The model is still resolved first (unknown → 404).
   */
  default byte[] localAnswer() {
    return null;
  }

  /**
   * Checks, once the model is resolved, that this request can go to its candidates; throws what the client
   * must fix otherwise (a field only some upstreams understand, say). Nothing to check by default.
   */
  default void checkRoute(java.util.List<PoolMember> members) {}

  /**
   * This request, asking upstreams to report the tokens of a streamed answer when it does not already (usage
   * records and token limits count them); what the client sees stays as it asked. This same call by default: translated
   * dialects always ask.
   */
  default ClientCall reportingUsage() {
    return this;
  }

  /**
   * This request asking upstreams for {@code effort} ({@code reasoning_effort}, or what the upstream protocol calls
   * it) in place of what the request asked for: the client named it with a {@link ThinkingSuffix} on the model.
   * {@code null} asks for none, so the provider decides. Only called for a model with a suffix. This same call by
   * default, for calls that go to no upstream.
   */
  default ClientCall withReasoningEffort(String effort) {
    return this;
  }

  /** The request for {@code member}, asking for {@code upstreamModel}; called once per attempt. */
  UpstreamCall upstreamCall(PoolMember member, String upstreamModel);
}
