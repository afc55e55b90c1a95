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
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

/**
 * What the servlet container alone costs per request: the gateway's container ({@link BenchContainer}),
 * and a servlet that does what the gateway's relay does around the upstream call and nothing else. It
 * reads the body with a {@code ReadListener}, hands the request to another thread (where the gateway
 * hands it to HttpClient's reactor), and that thread writes the upstream's JSON with a
 * {@code WriteListener} and completes. No key check, routing, rewrite or upstream call: the CPU it
 * spends is a floor no servlet gateway on this container can go below.
 * Usage: {@code ContainerFloor <port>}.
 */
public final class ContainerFloor extends HttpServlet {
  /** Stands in for HttpClient's reactor thread, where the gateway's responses are written from. */
  private final transient ExecutorService responder = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "floor-responder");
    t.setDaemon(true);
    return t;
  });

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Server server = BenchContainer.create(port, "floor");
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new ContainerFloor()), "/*");
    server.setHandler(context);
    server.start();
    System.out.println("container floor listening on 127.0.0.1:" + port);
    server.join();
  }

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
      response.setContentLength(FakeUpstream.JSON.length);
      ServletOutputStream out = response.getOutputStream();
      out.setWriteListener(new WriteListener() {
        private boolean written;

        @Override
        public void onWritePossible() throws IOException {
          if (!written && out.isReady()) {
            written = true;
            out.write(FakeUpstream.JSON);
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
