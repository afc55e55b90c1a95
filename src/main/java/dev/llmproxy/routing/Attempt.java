package dev.llmproxy.routing;

/** One upstream try: this key, this upstream model. Immutable. */
public record Attempt(Credential credential, PoolMember member) {
  public String upstreamModel() {
    return member.upstreamModel();
  }
}
