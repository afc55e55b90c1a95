package dev.llmproxy.it.management;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A fake OpenAI-compatible upstream on 127.0.0.1 for the hot-reload IT. A streaming chat completion
 * sends one event, then waits for {@link #release()} before sending the rest; a plain one answers at
 * once. It records the upstream model of every request; the test thread asserts on them.
 */
final class SlowSseUpstream implements AutoCloseable {
  final List<String> models = new CopyOnWriteArrayList<>();
  final CountDownLatch firstEventSent = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final Server server;
  private final int port;

  SlowSseUpstream() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new ChatServlet()), "/v1/chat/completions");
    server.setHandler(context);
    server.start();
    port = connector.getLocalPort();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port + "/v1";
  }

  void release() {
    release.countDown();
  }

  @Override
  public void close() throws Exception {
    release.countDown();
    server.stop();
  }

  private final class ChatServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
      JsonNode body = ManagementClient.JSON.readTree(request.getInputStream());
      String model = body.get("model").asText();
      models.add(model);
      OutputStream out = response.getOutputStream();
      if (!body.path("stream").asBoolean()) {
        response.setContentType("application/json");
        out.write(("{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"" + model + "\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}")
            .getBytes(StandardCharsets.UTF_8));
        return;
      }
      response.setContentType("text/event-stream");
      out.write(event(model, "one"));
      out.flush();
      firstEventSent.countDown();
      try {
        if (!release.await(30, TimeUnit.SECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      out.write(event(model, "two"));
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    private byte[] event(String model, String content) {
      return ("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"" + model + "\",\"choices\":[{\"index\":0,"
          + "\"delta\":{\"content\":\"" + content + "\"}}]}\n\n").getBytes(StandardCharsets.UTF_8);
    }
  }
}
