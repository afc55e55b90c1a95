package dev.llmproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UpstreamConfigTest {
  private static final long MIB = 1024L * 1024;
  private static final long NO_HEAP_LIMIT = Long.MAX_VALUE;

  @Test
  void theOpenFileLimitBoundsThePoolWhenTheHeapHoldsMore() {
    // Two files per HTTP/1.1 stream, 1,000 kept for everything else: the benchmark's 20,000 and -Xmx3g.
    assertEquals(9_500, UpstreamConfig.defaultMaxConnections(20_000, 3072 * MIB));
    assertEquals(9_500, UpstreamConfig.defaultMaxConnections(20_000, NO_HEAP_LIMIT));
  }

  @Test
  void theHeapBoundsThePoolWhenTheFilesWouldAllowMore() {
    // Under systemd the JVM raises its open-file limit to 524,288; a 1 GiB heap holds 3,072 streams at 256 KiB
    // after 256 MiB for the rest, and a 3 GiB heap 11,264.
    assertEquals(3_072, UpstreamConfig.defaultMaxConnections(524_288, 1024 * MIB));
    assertEquals(11_264, UpstreamConfig.defaultMaxConnections(524_288, 3072 * MIB));
  }

  @Test
  void thePoolNeverFallsBelowAHundredNorRisesAboveAHundredThousand() {
    assertEquals(100, UpstreamConfig.defaultMaxConnections(1_024, NO_HEAP_LIMIT));
    assertEquals(100, UpstreamConfig.defaultMaxConnections(524_288, 256 * MIB));
    assertEquals(100_000, UpstreamConfig.defaultMaxConnections(1_048_576, NO_HEAP_LIMIT));
  }

  @Test
  void anUnknownFileLimitCountsAsAThousandConnections() {
    assertEquals(1_000, UpstreamConfig.defaultMaxConnections(-1, NO_HEAP_LIMIT));
    assertEquals(768, UpstreamConfig.defaultMaxConnections(-1, 448 * MIB));
  }
}
