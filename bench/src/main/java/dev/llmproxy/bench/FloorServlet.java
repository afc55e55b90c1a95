package dev.llmproxy.bench;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the servlet container alone costs per request: a servlet that does what the gateway's relay does
 * around the upstream call and nothing else. It reads the body with a {@code ReadListener}, hands the
 * request to another thread (where the gateway hands it to HttpClient's reactor), and that thread writes
 * the upstream's JSON with a {@code WriteListener} and completes. No key check, routing, rewrite or
 * upstream call: the CPU it spends is a floor no servlet gateway in this container can go below. It runs
 * in the gateway's container with the gateway's connector ({@link ContainerFloor} in embedded Jetty, an
 * exploded webapp in Tomcat: see {@link GatewayContainer}), and uses nothing but the Servlet API.
 */
public final class FloorServlet extends HttpServlet {
  /** Stands in for HttpClient's reactor thread, where the gateway's responses are written from. */
  private final transient ExecutorService responder = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "floor-responder");
    t.setDaemon(true);
    return t;
  });

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    AsyncContext async = request.startAsync();
    var in = request.getInputStream();
    byte[] buffer = new byte[8192];
    in.setReadListener(new ReadListener() {
      @Override
      public void onDataAvailable() throws IOException {
        while (in.isReady() && in.read(buffer) >= 0) {
          // The body is read and dropped: the gateway reads it to route, which this floor does not count.
        }
      }

      @Override
      public void onAllDataRead() {
        responder.execute(() -> respond(async, response));
      }

      @Override
      public void onError(Throwable t) {
        async.complete();
      }
    });
  }

  private static void respond(AsyncContext async, HttpServletResponse response) {
    try {
      response.setContentType("application/json");
      response.setContentLength(UpstreamJson.CHAT_COMPLETION.length);
      ServletOutputStream out = response.getOutputStream();
      out.setWriteListener(new WriteListener() {
        private boolean written;

        @Override
        public void onWritePossible() throws IOException {
          if (!written && out.isReady()) {
            written = true;
            out.write(UpstreamJson.CHAT_COMPLETION);
            async.complete();
          }
        }

        @Override
        public void onError(Throwable t) {
          async.complete();
        }
      });
    } catch (IOException | RuntimeException e) {
      async.complete();
    }
  }
}
