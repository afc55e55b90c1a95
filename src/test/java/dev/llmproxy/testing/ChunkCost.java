package dev.llmproxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.dialect.EventSink;
import dev.llmproxy.dialect.StreamTranslator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Measures the CPU cost of a {@link StreamTranslator} per upstream chunk: replays a long streamed answer
 * (one role chunk, text deltas of one word each, a finish chunk and a usage chunk) through fresh
 * translators, after a warm-up, and reports the mean time per chunk. The chunks are parsed once, up
 * front, as the relay hands them over parsed; {@link #parseAndTranslate} includes the parse. Wall-clock
 * time on one thread of a shared machine: an upper bound of the CPU cost, good for orders of magnitude.
 */
public final class ChunkCost {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Counts bytes so the JIT cannot drop the translation. */
  private static final class CountingSink implements EventSink {
    long bytes;

    @Override
    public void event(String name, byte[] json) {
      bytes += json.length;
    }
  }

  private ChunkCost() {}

  /** A streamed answer of {@code words} text deltas, as the upstream's {@code data:} payloads. */
  public static List<String> textStream(int words) {
    List<String> chunks = new ArrayList<>(words + 3);
    String head = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1760000001,"
        + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":";
    chunks.add(head + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
    for (int i = 0; i < words; i++) {
      chunks.add(head + "{\"content\":\"word" + (i % 10) + " \"},\"finish_reason\":null}]}");
    }
    chunks.add(head + "{},\"finish_reason\":\"stop\"}]}");
    chunks.add("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":"
        + "{\"prompt_tokens\":12,\"completion_tokens\":" + words + ",\"total_tokens\":" + (12 + words) + "}}");
    return chunks;
  }

  /** Mean nanoseconds per chunk of translating {@code chunks} (already parsed), over {@code rounds} streams. */
  public static double translate(List<String> chunks, Supplier<StreamTranslator> translators, int rounds) {
    List<JsonNode> parsed = chunks.stream().map(ChunkCost::parse).toList();
    run(parsed, translators, Math.max(5, rounds / 2));
    long start = System.nanoTime();
    run(parsed, translators, rounds);
    return (System.nanoTime() - start) / (double) (rounds * parsed.size());
  }

  /** Mean nanoseconds per chunk of parsing and translating {@code chunks}, over {@code rounds} streams. */
  public static double parseAndTranslate(List<String> chunks, Supplier<StreamTranslator> translators, int rounds) {
    List<byte[]> raw = chunks.stream().map(chunk -> chunk.getBytes(StandardCharsets.UTF_8)).toList();
    CountingSink sink = new CountingSink();
    long start = 0;
    for (int round = 0; round < rounds * 2; round++) {
      if (round == rounds) {
        start = System.nanoTime();
      }
      StreamTranslator translator = translators.get();
      for (byte[] chunk : raw) {
        translator.onChunk(parse(chunk), sink);
      }
      translator.onEnd(sink);
    }
    return (System.nanoTime() - start) / (double) (rounds * raw.size());
  }

  private static void run(List<JsonNode> chunks, Supplier<StreamTranslator> translators, int rounds) {
    CountingSink sink = new CountingSink();
    for (int round = 0; round < rounds; round++) {
      StreamTranslator translator = translators.get();
      for (JsonNode chunk : chunks) {
        translator.onChunk(chunk, sink);
      }
      translator.onEnd(sink);
    }
    if (sink.bytes == 0) {
      throw new AssertionError("the translator wrote nothing");
    }
  }

  private static JsonNode parse(String json) {
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode parse(byte[] json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
