package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.llmproxy.dialect.JsonTrees;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes the JSON this dialect sends to clients straight into bytes with a streaming generator (no tree
 * is built for an event: a streamed chunk becomes one small {@code content_block_delta}, and building and
 * serialising a tree for it would cost several times more). Thread-safe: the mapper
 * (see {@link JsonTrees}) is
 * shared, each call has its own generator.
 */
final class GeneratedJson {

  /** What writes one JSON value on a generator. */
  @FunctionalInterface
  interface Writer {
    void write(JsonGenerator json) throws IOException;
  }

  private GeneratedJson() {}

  /** The UTF-8 bytes {@code writer} produces. */
  static byte[] bytes(Writer writer) {
    try (ByteArrayBuilder buffer = new ByteArrayBuilder(256)) {
      try (JsonGenerator json = JsonTrees.newGenerator(buffer)) {
        writer.write(json);
      }
      return buffer.toByteArray();
    } catch (IOException e) {
      // Writing to memory cannot fail; a Writer that throws is a bug worth seeing.
      throw new UncheckedIOException(e);
    }
  }
}
