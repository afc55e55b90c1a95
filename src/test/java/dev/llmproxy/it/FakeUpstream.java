package dev.llmproxy.it;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An OpenAI-compatible provider on a loopback port: {@code POST /v1/chat/completions} answers JSON, or
 * SSE when the body asks for {@code "stream":true}. A stream sends its first event, then waits for the
 * gate the test armed with {@link #holdNextStreamAfterFirstEvent()} before sending the rest, so a test
 * can prove the gateway relays event 1 while the upstream is still blocked. Records every request; the
 * test thread asserts on the records.
 */
final class FakeUpstream implements AutoCloseable {
  static final String UPSTREAM_KEY = "sk-upstream-test-0123456789";
  static final String UPSTREAM_MODEL = "fake-model-v1";

  /** What the provider received. */
  record Received(String path, String authorization, String body) {}

  private final Server server;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private volatile CountDownLatch gate;

  FakeUpstream() throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setName("fake-upstream");
    server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new ProviderServlet()), "/v1/*");
    server.setHandler(context);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/v1";
  }

  /** The next stream pauses after its first event until the returned latch is counted down. */
  CountDownLatch holdNextStreamAfterFirstEvent() {
    CountDownLatch latch = new CountDownLatch(1);
    gate = latch;
    return latch;
  }

  Received takeReceived() throws InterruptedException {
    Received r = received.poll(10, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("the fake upstream received no request within 10 s");
    }
    return r;
  }

  void clearReceived() {
    received.clear();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  private final class ProviderServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
      String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      received.add(new Received(request.getRequestURI(), request.getHeader("Authorization"), body));
      if (!request.getRequestURI().endsWith("/chat/completions")) {
        response.sendError(404);
        return;
      }
      if (body.replace(" ", "").contains("\"stream\":true")) {
        stream(response);
      } else {
        byte[] json = completion("Hello from the fake upstream").getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json");
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
      }
    }

    private void stream(HttpServletResponse response) throws IOException {
      CountDownLatch latch = gate;
      gate = null;
      response.setContentType("text/event-stream");
      OutputStream out = response.getOutputStream();
      out.write(event(chunk("Hel")));
      out.flush();
      if (latch != null) {
        try {
          if (!latch.await(20, TimeUnit.SECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      out.write(event(chunk("lo")));
      out.write(event("[DONE]"));
      out.flush();
    }
  }

  private static byte[] event(String data) {
    return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  private static String chunk(String text) {
    return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + UPSTREAM_MODEL
        + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"},\"finish_reason\":null}]}";
  }

  private static String completion(String text) {
    return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + UPSTREAM_MODEL
        + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text
        + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}";
  }
}
