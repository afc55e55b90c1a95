package dev.llmproxy.dialect;

import dev.llmproxy.routing.PoolMember;

/**
 * A request the gateway answers itself (token counting): no upstream is called, but the model is still resolved
 * first, so an unknown one gets the same 404 as a request that goes upstream. Immutable.
 */
public final class LocalCall implements ClientCall {
  private final String model;
  private final byte[] answer;

  /**
   * @param model the model as the client named it
   * @param answer the JSON answer; never changed afterwards
   */
  public LocalCall(String model, byte[] answer) {
    this.model = model;
    this.answer = answer;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public boolean stream() {
    return false;
  }

  @Override
  public byte[] localAnswer() {
    return answer;
  }

  @Override
  public UpstreamCall upstreamCall(PoolMember member, String upstreamModel) {
    throw new IllegalStateException("a request answered locally never calls an upstream");
  }
}
