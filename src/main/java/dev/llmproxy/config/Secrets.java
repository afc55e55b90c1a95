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

  /** True when {@code value} looks like the output of {@link #mask(String)} (so a client sent a masked value back). */
  public static boolean isMasked(String value) {
    return value != null && value.contains("...");
  }
}
