package dev.llmproxy.bench;

import jakarta.servlet.Servlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

/**
 * The container floor ({@link FloorServlet}) in embedded Jetty 12 with the gateway's settings
 * ({@link BenchContainer}), so the two differ only in what the servlet does; or another servlet of the
 * benchmark ({@link BlockingProxyServlet}) in the same server.
 * Usage: {@code ContainerFloor <port> [servlet class]}.
 */
public final class ContainerFloor {
  private ContainerFloor() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String servlet = args.length > 1 ? args[1] : FloorServlet.class.getName();
    Server server = BenchContainer.create(port, "floor");
    ServletContextHandler context = new ServletContextHandler("/");
    ServletHolder holder = new ServletHolder(Class.forName(servlet).asSubclass(Servlet.class));
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/*");
    server.setHandler(context);
    server.start();
    System.out.println(servlet + " listening on 127.0.0.1:" + port);
    server.join();
  }
}
