package dev.llmproxy.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape in the Prometheus text format, parsed into samples for assertions: {@link #sum} adds the values of
 * every series of a name whose labels include the ones given. Immutable.
 */
public final class PrometheusScrape {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One series and its value. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final String text;
  private final List<Sample> samples;

  public PrometheusScrape(String text) {
    this.text = text;
    this.samples = text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).map(PrometheusScrape::parse).toList();
  }

  private static Sample parse(String line) {
    Matcher m = SAMPLE.matcher(line);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a sample line: " + line);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (m.group(3) != null) {
      Matcher l = LABEL.matcher(m.group(3));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
    }
    return new Sample(m.group(1), labels, Double.parseDouble(m.group(4)));
  }

  /** The text as scraped. */
  public String text() {
    return text;
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The sum over the series named {@code name} whose labels include {@code labels} (name, value, ...). */
  public double sum(String name, String... labels) {
    double total = 0;
    for (Sample s : samples) {
      if (s.name().equals(name) && has(s, labels)) {
        total += s.value();
      }
    }
    return total;
  }

  /** Whether some series is named {@code name}. */
  public boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  private static boolean has(Sample s, String... labels) {
    for (int i = 0; i < labels.length; i += 2) {
      if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
        return false;
      }
    }
    return true;
  }
}
