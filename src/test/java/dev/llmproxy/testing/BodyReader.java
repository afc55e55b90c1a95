package dev.llmproxy.testing;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Reads a request body without blocking and hands it over once complete.
 *
 * <p>One instance per request; the container calls it from one thread at a time.
 */
final class BodyReader implements ReadListener {

  private final ServletInputStream in;
  private final Consumer<byte[]> onBody;
  private final Consumer<Throwable> onFailure;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private final byte[] buffer = new byte[8192];

  BodyReader(ServletInputStream in, Consumer<byte[]> onBody, Consumer<Throwable> onFailure) {
    this.in = in;
    this.onBody = onBody;
    this.onFailure = onFailure;
  }

  @Override
  public void onDataAvailable() throws IOException {
    int read;
    while (in.isReady() && (read = in.read(buffer)) != -1) {
      body.write(buffer, 0, read);
    }
  }

  @Override
  public void onAllDataRead() {
    onBody.accept(body.toByteArray());
  }

  @Override
  public void onError(Throwable failure) {
    onFailure.accept(failure);
  }
}
