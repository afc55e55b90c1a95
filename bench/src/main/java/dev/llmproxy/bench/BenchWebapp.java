package dev.llmproxy.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A servlet of the benchmark as an exploded webapp for Tomcat: the container floor ({@link FloorServlet}) or
 * the blocking proxy ({@link BlockingProxyServlet}), its classes and {@link UpstreamJson} copied from the
 * benchmark's, mapped to {@code /*} by a minimal web.xml.
 */
final class BenchWebapp {
  private BenchWebapp() {}

  static Path layOut(Path dir, Class<?> servlet) throws IOException {
    Path classes;
    try {
      classes = Path.of(servlet.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    String pkg = servlet.getPackageName().replace('.', '/');
    Path target = Files.createDirectories(dir.resolve("WEB-INF/classes").resolve(pkg));
    try (var files = Files.list(classes.resolve(pkg))) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.startsWith(servlet.getSimpleName()) || name.startsWith("UpstreamJson")) {
          Files.copy(f, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Files.writeString(dir.resolve("WEB-INF/web.xml"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
          <servlet>
            <servlet-name>bench</servlet-name>
            <servlet-class>%s</servlet-class>
            <async-supported>true</async-supported>
          </servlet>
          <servlet-mapping>
            <servlet-name>bench</servlet-name>
            <url-pattern>/*</url-pattern>
          </servlet-mapping>
        </web-app>
        """.formatted(servlet.getName()));
    return dir;
  }
}
