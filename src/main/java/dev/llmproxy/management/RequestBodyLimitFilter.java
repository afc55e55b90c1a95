package dev.llmproxy.management;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Caps every management request body at {@value #MAX_BODY_BYTES} bytes (1 MiB; a real
 * {@code config.yaml} is a few KiB): a larger declared {@code Content-Length} gets 413 {@code
 * {"error":"request body too large"}} before anything is read; a body without a length (chunked, or
 * HTTP/2 without one) is read here up to one byte past the cap, refused the same way, or handed on
 * from memory. Runs after {@link ManagementAuthFilter}, so only authorised callers get this far.
 * Blocking reads are fine: management is not the data plane. Stateless.
 */
final class RequestBodyLimitFilter extends HttpFilter {
  static final int MAX_BODY_BYTES = 1 << 20;

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    long declared = request.getContentLengthLong();
    if (declared > MAX_BODY_BYTES) {
      reject(response);
      return;
    }
    if (declared >= 0) {
      chain.doFilter(request, response);
      return;
    }
    byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      reject(response);
      return;
    }
    chain.doFilter(new ReadBody(request, body), response);
  }

  private static void reject(HttpServletResponse response) throws IOException {
    response.setHeader("Connection", "close"); // the rest of the body is not worth reading
    new ManagementErrorBody("request body too large",
        "management request bodies are limited to " + MAX_BODY_BYTES + " bytes (1 MiB)", null).write(response, 413);
  }

  /** The request with its body already read into memory. */
  private static final class ReadBody extends HttpServletRequestWrapper {
    private final byte[] body;

    ReadBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() throws IOException {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new IllegalStateException("management reads its bodies blocking");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
      return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
