package dev.llmproxy.config;

/** Masks secrets for logs, errors and management responses: {@code sk-or-v1-abcd...b780 -> sk-o...b780}. */
public final class Secrets {
  private Secrets() {}

  public static String mask(String secret) {
    if (secret == null || secret.isEmpty()) {
      return "";
    }
    int n = secret.length();
    if (n > 8) {
      return secret.substring(0, 4) + "..." + secret.substring(n - 4);
    }
    if (n >= 5) {
      return secret.substring(0, 2) + "..." + secret.substring(n - 2);
    }
    if (n >= 3) {
      return secret.charAt(0) + "..." + secret.charAt(n - 1);
    }
    return "...";
  }

  /**
   * True when {@code value} has the shape of {@link #mask(String)}'s output (so a client sent a masked value back):
   * {@code ...} with nothing, one, two or four characters on each side. A secret that merely contains {@code ...}
   * is not one: a bcrypt hash does about once in 5,000 (its alphabet has the dot), and taking it for a mask made
   * storing it fail.
   */
  public static boolean isMasked(String value) {
    if (value == null) {
      return false;
    }
    int n = value.length();
    return (n == 3 || n == 5 || n == 7 || n == 11) && value.startsWith("...", (n - 3) / 2);
  }
}
