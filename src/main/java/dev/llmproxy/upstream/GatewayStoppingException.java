package dev.llmproxy.upstream;

import org.apache.hc.core5.reactor.IOReactorShutdownException;

/**
 * The gateway is stopping (an undeploy, a redeploy, the container's shutdown) while an exchange still runs: its
 * upstream client is about to close. Handed to the exchange before the close cancels it, so the client gets an
 * answer that says so (an error event in a stream, 503 otherwise) instead of a stream that merely stops, which it
 * could not tell from a complete one.
 */
public final class GatewayStoppingException extends IOReactorShutdownException {
  private static final long serialVersionUID = 1L;

  public GatewayStoppingException() {
    super("the gateway is stopping");
  }
}
