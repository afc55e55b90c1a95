package dev.llmproxy.dialect;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens locally with OpenAI's {@code o200k_base} encoding (JTokkit), for the token-counting
 * endpoints and the input estimate of Anthropic's {@code message_start}: upstreams of other model
 * families count differently, so this is an estimate, close for GPT-4o-class models and within about
 * 10-20% for others. Thread-safe (JTokkit encodings are immutable); the encoding is loaded once.
 */
public final class TokenCounter {
  private static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  private TokenCounter() {}

  /** Tokens of {@code text}; 0 for {@code null} or empty. */
  public static int count(String text) {
    return text == null || text.isEmpty() ? 0 : O200K.countTokensOrdinary(text);
  }
}
