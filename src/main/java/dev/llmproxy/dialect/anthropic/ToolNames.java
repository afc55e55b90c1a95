package dev.llmproxy.dialect.anthropic;

import java.util.HashMap;
import java.util.Map;

/**
 * Tool names between the two wire formats: upstreams require {@code ^[a-zA-Z0-9_-]{1,64}$} for function
 * names while Anthropic allows more (MCP tools named {@code server.tool}, long names). The request side
 * gives each original name a valid one ({@link Builder}); the answer side turns names back with
 * {@link #original}. Immutable once built; the builder is used by one thread.
 */
public final class ToolNames {
  static final int MAX_LENGTH = 64;
  private static final ToolNames NONE = new ToolNames(Map.of());

  private final Map<String, String> originals;

  private ToolNames(Map<String, String> originals) {
    this.originals = originals;
  }

  /** No renamed tool: every name passes unchanged. */
  public static ToolNames none() {
    return NONE;
  }

  /** The name the client declared for {@code upstreamName}; unknown names are returned as they are. */
  public String original(String upstreamName) {
    return originals.getOrDefault(upstreamName, upstreamName);
  }

  /** Upstream name → client name, only for names that had to change. */
  public Map<String, String> renamed() {
    return originals;
  }

  /**
   * Assigns upstream names, first come first served: a valid name keeps itself, an invalid one becomes
   * its sanitized form, and a clash between two originals gets a numeric suffix. Not thread-safe.
   */
  static final class Builder {
    private final Map<String, String> upstreamByOriginal = new HashMap<>();
    private final Map<String, String> originalByUpstream = new HashMap<>();

    /** The upstream name for {@code original}, the same every time it is asked. */
    String upstreamName(String original) {
      String known = upstreamByOriginal.get(original);
      if (known != null) {
        return known;
      }
      String base = sanitize(original);
      String candidate = base;
      for (int n = 2; originalByUpstream.containsKey(candidate); n++) {
        String suffix = "_" + n;
        candidate = base.substring(0, Math.min(base.length(), MAX_LENGTH - suffix.length())) + suffix;
      }
      upstreamByOriginal.put(original, candidate);
      originalByUpstream.put(candidate, original);
      return candidate;
    }

    /** Whether {@code original} was given a name. */
    boolean knows(String original) {
      return upstreamByOriginal.containsKey(original);
    }

    ToolNames build() {
      Map<String, String> renamed = new HashMap<>();
      originalByUpstream.forEach((upstream, original) -> {
        if (!upstream.equals(original)) {
          renamed.put(upstream, original);
        }
      });
      return renamed.isEmpty() ? NONE : new ToolNames(Map.copyOf(renamed));
    }
  }

  /** {@code name} with each character outside {@code [a-zA-Z0-9_-]} replaced by {@code _}, cut to 64. */
  static String sanitize(String name) {
    if (name == null || name.isEmpty()) {
      return "tool";
    }
    StringBuilder out = new StringBuilder(Math.min(name.length(), MAX_LENGTH));
    for (int i = 0; i < name.length() && out.length() < MAX_LENGTH; i++) {
      char c = name.charAt(i);
      out.append(ToolIds.isIdChar(c) ? c : '_');
    }
    return out.toString();
  }
}
