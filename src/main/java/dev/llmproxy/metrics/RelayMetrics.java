package dev.llmproxy.metrics;

/**
 * What the data plane reports to metrics, as plain values: the relay calls these at the points its
 * Javadoc names and knows nothing of the meters behind them. Implementations must be thread-safe, never
 * block and never throw, since they run on container and HttpClient reactor threads in the middle of a
 * request.
 *
 * <p>Every string is a label value, so each must come from a bounded set: {@code dialect} and
 * {@code endpoint} are constants of the code ({@code openai}, {@code /v1/chat/completions}), {@code model}
 * is the client-visible id of a configured (or discovered) model or {@link #NOT_ROUTED}, never the raw
 * text a client sent for an unknown model, and {@code provider} is a provider name from the config. No
 * key, secret or prompt is ever passed.
 */
public interface RelayMetrics {
  /** The {@code model} of a request whose model id no provider serves (or whose body was unreadable). */
  String NOT_ROUTED = "(not routed)";
  /** The {@code status} of a request whose client left before it was answered (nginx's convention). */
  int CLIENT_CLOSED_REQUEST = 499;

  /** Records nothing: for tests and for a gateway started without metrics. */
  RelayMetrics NONE = new RelayMetrics() {
    @Override
    public void requestFinished(String dialect, String endpoint, String model, int status, long durationNanos) {}

    @Override
    public void firstByte(String dialect, String endpoint, String model, long sinceStartNanos) {}

    @Override
    public void attemptFinished(String provider, AttemptOutcome outcome) {}

    @Override
    public void tokens(String model, long prompt, long completion) {}

    @Override
    public void streamOpened() {}

    @Override
    public void streamClosed() {}

    @Override
    public void sessionAnswered(String outcome) {}
  };

  /**
   * A client request ended, once per request whatever the ending: answered, failed or abandoned by its
   * client.
   *
   * @param status the HTTP status the client saw ({@value #CLIENT_CLOSED_REQUEST} when it left first; 200
   *     for a stream that ended with an error event after it had started)
   * @param durationNanos from the request's arrival to its end
   */
  void requestFinished(String dialect, String endpoint, String model, int status, long durationNanos);

  /** The answer's head and first bytes went to the client (not keep-alive padding, not an error). */
  void firstByte(String dialect, String endpoint, String model, long sinceStartNanos);

  /** One upstream attempt ended, with what it said about the provider. */
  void attemptFinished(String provider, AttemptOutcome outcome);

  /**
   * A request of a client session was answered with {@code routing.session-affinity} on: {@code outcome} is {@code
   * kept} (its binding held), {@code moved} (another key or member answered) or {@code new} (it had none).
   */
  void sessionAnswered(String outcome);

  /** The tokens an upstream reported for a request's answer, once per request. */
  void tokens(String model, long prompt, long completion);

  /** A stream's head went to the client; each call is matched by one {@link #streamClosed()}. */
  void streamOpened();

  /** A stream opened by {@link #streamOpened()} ended, however it ended. */
  void streamClosed();
}
