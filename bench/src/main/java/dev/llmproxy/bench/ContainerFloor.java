package dev.llmproxy.bench;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

/**
 * The container floor ({@link FloorServlet}) in embedded Jetty 12 with the gateway's settings
 * ({@link BenchContainer}), so the two differ only in what the servlet does.
 * Usage: {@code ContainerFloor <port>}.
 */
public final class ContainerFloor {
  private ContainerFloor() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Server server = BenchContainer.create(port, "floor");
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new FloorServlet()), "/*");
    server.setHandler(context);
    server.start();
    System.out.println("container floor listening on 127.0.0.1:" + port);
    server.join();
  }
}
