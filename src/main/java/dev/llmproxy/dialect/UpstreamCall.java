package dev.llmproxy.dialect;

/**
 * One request to one upstream, and how its answer reaches the client. Immutable but for the
 * {@link Answer}, which belongs to this one attempt.
 *
 * @param path appended to the provider's {@code base-url} ({@code /chat/completions})
 * @param body the JSON request body
 * @param stream whether the upstream is asked for an event stream
 * @param protocol what the upstream speaks, which decides when its stream is complete
 * @param answer turns this upstream's answer into the client's; one per attempt
 */
public record UpstreamCall(String path, byte[] body, boolean stream, UpstreamProtocol protocol, Answer answer) {}
