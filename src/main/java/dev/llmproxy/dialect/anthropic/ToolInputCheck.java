package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import dev.llmproxy.error.WebappJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Whether a streamed tool call's argument text is one JSON object, judged fragment by fragment as the
 * fragments arrive, so that {@link MessagesStreamTranslator} forwards only text that may still become an
 * object: Anthropic's {@code input} is always one, and the whole-answer path gives {@code {}} for anything
 * else ({@link ToolArguments}). Leading whitespace is dropped (it means nothing before {@code {}); a first
 * other character than {@code {} makes the text {@link State#NOT_OBJECT} at once; after that, Jackson's
 * non-blocking parser checks the syntax without keeping the text, and anything but whitespace after the
 * object's closing brace makes it {@link State#NOT_OBJECT} too. Not thread-safe: owned by one
 * {@link ToolCallState}.
 */
final class ToolInputCheck {
  private static final JsonFactory JSON = WebappJson.newFactory();

  enum State {
    /** Nothing but whitespace so far. */
    EMPTY,
    /** An object that has not closed yet. */
    OPEN,
    /** An object that closed: only whitespace may follow. */
    COMPLETE,
    /** Not an object, or malformed; final. */
    NOT_OBJECT
  }

  private State state = State.EMPTY;
  private JsonParser parser;

  State state() {
    return state;
  }

  /**
   * Judges the next fragment and returns the part of it a client may be sent now: {@code null} when none
   * (whitespace before the object, after it, or a fragment that made the text {@link State#NOT_OBJECT}).
   */
  String accept(String fragment) {
    switch (state) {
      case EMPTY -> {
        String text = fragment.stripLeading();
        if (text.isEmpty()) {
          return null;
        }
        if (text.charAt(0) != '{') {
          state = State.NOT_OBJECT;
          return null;
        }
        state = State.OPEN;
        parser = newParser();
        return parse(text) ? text : null;
      }
      case OPEN -> {
        return parse(fragment) ? fragment : null;
      }
      case COMPLETE -> {
        if (!fragment.isBlank()) {
          state = State.NOT_OBJECT;
        }
        return null;
      }
      default -> {
        return null;
      }
    }
  }

  /** Feeds {@code text} to the parser; false when it made the text {@link State#NOT_OBJECT}. */
  private boolean parse(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try {
      ByteArrayFeeder feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
      feeder.feedInput(bytes, 0, bytes.length);
      for (JsonToken token = parser.nextToken(); token != JsonToken.NOT_AVAILABLE; token = parser.nextToken()) {
        if (token == null) {
          return reject();
        }
        if (token.isStructEnd() && parser.getParsingContext().inRoot()) {
          // The rest of this fragment was fed already: ending the input makes the parser judge it now.
          // Leaving the root value it answers NOT_AVAILABLE once more, then null, or a token that is too many.
          feeder.endOfInput();
          JsonToken after = parser.nextToken();
          if (after == JsonToken.NOT_AVAILABLE) {
            after = parser.nextToken();
          }
          if (after != null) {
            return reject();
          }
          state = State.COMPLETE;
          close();
          return true;
        }
      }
    } catch (IOException e) {
      return reject();
    }
    return true;
  }

  private boolean reject() {
    state = State.NOT_OBJECT;
    close();
    return false;
  }

  /** Gives the parser's buffers back; call when the text will not be judged any further. */
  void close() {
    if (parser != null) {
      try {
        parser.close();
      } catch (IOException e) {
        // Nothing was read from a stream: closing only releases buffers.
      }
      parser = null;
    }
  }

  private static JsonParser newParser() {
    try {
      return JSON.createNonBlockingByteArrayParser();
    } catch (IOException e) {
      throw new IllegalStateException("Jackson cannot make a non-blocking parser", e);
    }
  }
}
