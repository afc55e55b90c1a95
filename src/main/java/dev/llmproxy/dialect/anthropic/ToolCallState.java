package dev.llmproxy.dialect.anthropic;

/**
 * One upstream tool call while it streams: its id and name as first announced (later repeats never rename
 * an announced block), the argument fragments not yet sent because its block has not started, its block
 * index once started, and how far its arguments form one JSON object ({@link ToolInputCheck}). That last
 * part is what lets {@link MessagesStreamTranslator} close a tool block early without losing fragments: an
 * object whose braces closed cannot grow, so the next call may start; otherwise the next call waits
 * (upstreams that interleave parallel calls). It also keeps text that is no object from the client.
 * Not thread-safe: owned by one stream translator.
 */
final class ToolCallState {
  static final int NOT_STARTED = -1;

  private final int upstreamIndex;
  private final ToolInputCheck input = new ToolInputCheck();
  private String id;
  private String name;
  private StringBuilder pending;
  private int blockIndex = NOT_STARTED;

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

  /**
   * Judges {@code fragment} (an argument fragment, in arrival order) and returns what of it may reach the
   * client; {@code null} when nothing may ({@link ToolInputCheck#accept}).
   */
  String accept(String fragment) {
    return input.accept(fragment);
  }

  /** Whether the arguments can bring the client nothing more: a closed object, or no object at all. */
  boolean argumentsComplete() {
    ToolInputCheck.State state = input.state();
    return state == ToolInputCheck.State.COMPLETE || state == ToolInputCheck.State.NOT_OBJECT;
  }

  /** Whether an object began and has not closed yet. */
  boolean objectOpen() {
    return input.state() == ToolInputCheck.State.OPEN;
  }

  /** Whether the arguments turned out not to be one JSON object. */
  boolean notAnObject() {
    return input.state() == ToolInputCheck.State.NOT_OBJECT;
  }

  /** Stops judging: the stream ended. */
  void close() {
    input.close();
  }

  void buffer(String fragment) {
    if (pending == null) {
      pending = new StringBuilder(fragment.length() * 4);
    }
    pending.append(fragment);
  }

  /** Forgets the buffered fragments: they turned out to be no object, so the client gets none of them. */
  void discardPending() {
    pending = null;
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
