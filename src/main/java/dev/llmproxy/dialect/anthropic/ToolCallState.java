package dev.llmproxy.dialect.anthropic;

/**
 * One upstream tool call while it streams: its id and name as first announced (later repeats never rename
 * an announced block), the argument fragments not yet sent because its block has not started, its block
 * index once started, and whether the arguments seen so far already form a complete JSON value. That last
 * bit is what lets {@link MessagesStreamTranslator} close a tool block early without losing fragments: an
 * object whose top-level braces closed cannot grow, so the next call may start; otherwise the next call
 * waits (upstreams that interleave parallel calls). Scanning is one pass over each fragment's characters,
 * tracking depth and strings only. Not thread-safe: owned by one stream translator.
 */
final class ToolCallState {
  static final int NOT_STARTED = -1;

  private final int upstreamIndex;
  private String id;
  private String name;
  private StringBuilder pending;
  private int blockIndex = NOT_STARTED;
  private int depth;
  private boolean inString;
  private boolean escaped;
  private boolean sawValue;

  ToolCallState(int upstreamIndex) {
    this.upstreamIndex = upstreamIndex;
  }

  /** Records the id and name of a fragment unless already known. */
  void announce(String fragmentId, String fragmentName) {
    if (id == null && fragmentId != null) {
      id = fragmentId;
    }
    if (name == null && fragmentName != null) {
      name = fragmentName;
    }
  }

  /** Tracks {@code fragment} (an argument fragment, in arrival order) for {@link #argumentsComplete}. */
  void observe(String fragment) {
    for (int i = 0; i < fragment.length(); i++) {
      char c = fragment.charAt(i);
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
        sawValue = true;
      } else if (c == '}' || c == ']') {
        depth--;
      }
    }
  }

  /** Whether the arguments so far are a complete object or array (they cannot grow any more). */
  boolean argumentsComplete() {
    return sawValue && depth <= 0 && !inString;
  }

  void buffer(String fragment) {
    if (pending == null) {
      pending = new StringBuilder(fragment.length() * 4);
    }
    pending.append(fragment);
  }

  /** The buffered fragments, emptied; {@code null} when there are none. */
  String takePending() {
    if (pending == null || pending.isEmpty()) {
      return null;
    }
    String text = pending.toString();
    pending.setLength(0);
    return text;
  }

  int upstreamIndex() {
    return upstreamIndex;
  }

  String id() {
    return id;
  }

  String name() {
    return name;
  }

  boolean hasName() {
    return name != null;
  }

  boolean started() {
    return blockIndex != NOT_STARTED;
  }

  int blockIndex() {
    return blockIndex;
  }

  void started(int index) {
    blockIndex = index;
  }
}
