package dev.llmproxy.management;

import dev.llmproxy.config.Secrets;
import dev.llmproxy.config.YamlLimits;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.CommentEvent;
import org.yaml.snakeyaml.events.Event;

/**
 * Masks secrets in the comments of {@code config.yaml} as {@link SecretMasking} masks them in values: operators
 * comment a key out rather than delete it ({@code # api-key: sk-live-...}), and a GET must not show it in clear.
 * Secret-looking means the value, of 8 characters or more, after a key whose name ends in a word that says secret
 * ({@code api-key:}, {@code secret-key:}, {@code token:}, {@code password:}, {@code Authorization:}), or a word with a well-known credential prefix
 * ({@code sk-...}). A comment sent back masked is restored from the stored file's comment that masks to the same
 * line (the first unused one, in order); a comment the client changed otherwise is written as sent. Stateless.
 */
final class CommentSecrets {
  /**
   * {@code name: value} (after an optional {@code - }) whose name ends in a word that says secret, the value one word
   * (after {@code Bearer} or {@code Basic}), quoted or not, maybe followed by a comment of its own: {@code # api-keys:
   * the client keys} is prose, not a key.
   */
  private static final Pattern NAMED = Pattern.compile("^(\\s*(?:-\\s+)?[\"']?[\\w.-]*"
      + "(?i:key|secret|token|password|passwd|authorization)(?:-sha256)?[\"']?\\s*:\\s*)"
      + "([\"']?)((?i:bearer\\s+|basic\\s+)?)([^\\s\"'#]{8,})\\2(\\s*(?:#.*)?)$");
  /** A word that is a credential by its prefix: OpenAI-style, Anthropic, OpenRouter, Google, GitHub, Slack. */
  private static final Pattern PREFIXED = Pattern.compile(
      "(?<![\\w-])(?:sk|rk)[-_][\\w-]{8,}|(?<![\\w-])AIza[\\w-]{20,}|(?<![\\w-])(?:ghp|gho|ghs|xox[abps])[-_][\\w-]{8,}");

  private CommentSecrets() {}

  /** {@code yaml} with the secrets in its comments masked; everything else byte for byte. */
  static String mask(String yaml) {
    return rewriteComments(yaml, CommentSecrets::maskComment);
  }

  /**
   * {@code sent} with each comment that is the masked form of a comment of {@code stored} put back as stored;
   * {@code sent} as it is when {@code stored} is {@code null} or not YAML.
   */
  static String restore(String stored, String sent) {
    if (stored == null || YamlLimits.problem(stored) != null) {
      // Parsing past the limits can take seconds; such a file was not shown through GET either.
      return sent;
    }
    Map<String, Deque<String>> originals = new HashMap<>();
    try {
      for (String comment : comments(stored)) {
        String masked = maskComment(comment);
        if (!masked.equals(comment)) {
          originals.computeIfAbsent(masked, k -> new ArrayDeque<>()).add(comment);
        }
      }
    } catch (RuntimeException e) {
      return sent;
    }
    return rewriteComments(sent, comment -> {
      Deque<String> candidates = originals.get(comment);
      return candidates == null || candidates.isEmpty() ? comment : candidates.poll();
    });
  }

  /** The text of one comment (what follows its {@code #}) with its secrets masked. */
  static String maskComment(String comment) {
    Matcher named = NAMED.matcher(comment);
    if (named.matches()) {
      String value = named.group(4);
      boolean plain = value.contains("${") || Secrets.isMasked(value);
      return plain ? comment : named.group(1) + named.group(2) + named.group(3) + Secrets.mask(value) + named.group(2)
          + named.group(5);
    }
    Matcher prefixed = PREFIXED.matcher(comment);
    StringBuilder out = new StringBuilder();
    while (prefixed.find()) {
      prefixed.appendReplacement(out, Matcher.quoteReplacement(Secrets.mask(prefixed.group())));
    }
    return prefixed.appendTail(out).toString();
  }

  private static List<String> comments(String yaml) {
    List<String> out = new ArrayList<>();
    for (Event event : events(yaml)) {
      if (event instanceof CommentEvent comment) {
        out.add(comment.getValue());
      }
    }
    return out;
  }

  /** Replaces the text after each comment's {@code #} by what {@code change} makes of it. */
  private static String rewriteComments(String yaml, UnaryOperator<String> change) {
    CodePointSpans spans = new CodePointSpans();
    for (Event event : events(yaml)) {
      if (event instanceof CommentEvent comment) {
        String changed = change.apply(comment.getValue());
        if (!changed.equals(comment.getValue())) {
          // The mark is at the '#'; the value is what follows it to the line end.
          spans.replace(comment.getStartMark().getIndex() + 1, comment.getEndMark().getIndex(), changed);
        }
      }
    }
    return spans.applyTo(yaml);
  }

  private static Iterable<Event> events(String yaml) {
    LoaderOptions options = YamlDocument.loaderOptions();
    options.setProcessComments(true);
    // Every text here passed YamlLimits already (composed by the caller, or checked in restore).
    return new Yaml(options).parse(new StringReader(yaml));
  }
}
