package dev.llmproxy.dialect;

/**
 * A client request that cannot be translated: answered with status 400 in the client's dialect, naming
 * the offending field. The message is for the client and must not echo large parts of the request.
 */
public final class TranslationException extends RuntimeException {
  private final String param;

  /**
   * @param param the field at fault as the client's API names it ({@code messages[2].content[0].source}),
   *     or {@code null}
   */
  public TranslationException(String param, String message) {
    super(message, null, false, false);
    this.param = param;
  }

  public String param() {
    return param;
  }
}
