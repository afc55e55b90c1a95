package dev.llmproxy.testing;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A servlet output stream whose readiness a test toggles, like a client's socket: {@code ready} false is a client
 * that reads nothing (the writer must not write then), true one that takes everything. Records what was written.
 */
public final class ToggledOutput extends ServletOutputStream {
  public final ByteArrayOutputStream written = new ByteArrayOutputStream();
  /** Bytes written since the last flush, at each flush. */
  public final List<Integer> flushedSizes = new ArrayList<>();
  private int sinceFlush;
  public boolean ready = true;
  public int flushes;
  /** Thrown by the next write when set: a connection that failed. */
  public IOException failure;

  @Override
  public boolean isReady() {
    return ready;
  }

  @Override
  public void setWriteListener(WriteListener writeListener) {}

  @Override
  public void write(int b) throws IOException {
    if (!ready) {
      throw new AssertionError("written while not ready");
    }
    if (failure != null) {
      throw failure;
    }
    written.write(b);
    sinceFlush++;
  }

  @Override
  public void flush() {
    flushes++;
    flushedSizes.add(sinceFlush);
    sinceFlush = 0;
  }

  public String text() {
    return written.toString(StandardCharsets.UTF_8);
  }
}
