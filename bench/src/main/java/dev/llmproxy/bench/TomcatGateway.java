package dev.llmproxy.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Lays out a Tomcat base ({@code -Dbench.container=tomcat10|tomcat11|tomcat10-debian}) on a
 * {@link TomcatDistribution} (the official one the integration tests use, or Debian's), a webapp as {@code ROOT}
 * (the built WAR, or the container floor's exploded webapp), and one NIO connector with {@link #CONNECTOR}
 * (see bench/README.md for why each), plus any {@code -Dbench.connector=name=value,...}. Started as
 * {@code java ... Bootstrap start}, as catalina.sh does.
 */
final class TomcatGateway {
  /**
   * The connector for many streams: {@code maxConnections} above the streams a 20,000-file process can
   * hold (Tomcat's default of 8,192 would queue the rest unanswered), {@code acceptCount} 4096 (the kernel's
   * {@code somaxconn} here; the default of 100 overflows at 1,000 opens/s), unlimited requests per kept-alive
   * connection (the default of 100 makes wrk reconnect; Jetty and nginx here never close), 120 s timeouts.
   */
  static final Map<String, String> CONNECTOR = new LinkedHashMap<>(Map.of(
      "maxConnections", "20000",
      "acceptCount", "4096",
      "maxKeepAliveRequests", "-1",
      "connectionTimeout", "120000",
      "keepAliveTimeout", "120000"));

  private final TomcatDistribution distribution;
  private final Path base;
  private final Map<String, String> connector;

  private TomcatGateway(TomcatDistribution distribution, Path base, Map<String, String> connector) {
    this.distribution = distribution;
    this.base = base;
    this.connector = connector;
  }

  /**
   * @param webapp a WAR file (deployed as {@code ROOT.war}) or a directory (copied as the exploded {@code ROOT})
   */
  static TomcatGateway layOut(Path containersDir, String container, Path base, Path webapp, int port, int maxThreads,
      String connectorExtra) throws IOException {
    TomcatDistribution distribution = TomcatDistribution.of(containersDir, container);
    Path conf = Files.createDirectories(base.resolve("conf"));
    for (String f : List.of("web.xml", "context.xml", "catalina.properties", "logging.properties")) {
      Files.copy(distribution.conf().resolve(f), conf.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    for (String d : List.of("logs", "temp", "work", "webapps")) {
      Files.createDirectories(base.resolve(d));
    }
    if (Files.isDirectory(webapp)) {
      copyTree(webapp, base.resolve("webapps/ROOT"));
    } else {
      Files.copy(webapp, base.resolve("webapps/ROOT.war"), StandardCopyOption.REPLACE_EXISTING);
    }
    Map<String, String> attributes = new LinkedHashMap<>(CONNECTOR);
    attributes.put("maxThreads", Integer.toString(maxThreads));
    attributes.put("minSpareThreads", Integer.toString(Math.min(8, maxThreads)));
    for (String pair : connectorExtra.isBlank() ? new String[0] : connectorExtra.split(",")) {
      String[] kv = pair.split("=", 2);
      attributes.put(kv[0].trim(), kv[1].trim());
    }
    String attrs = attributes.entrySet().stream().map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
        .collect(Collectors.joining("\n                   "));
    Files.writeString(conf.resolve("server.xml"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <Server port="-1" shutdown="SHUTDOWN">
          <Service name="Catalina">
            <Connector port="%d" address="127.0.0.1" protocol="org.apache.coyote.http11.Http11NioProtocol"
                   %s/>
            <Engine name="Catalina" defaultHost="localhost">
              <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="false"/>
            </Engine>
          </Service>
        </Server>
        """.formatted(port, attrs));
    return new TomcatGateway(distribution, base, attributes);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** The command line, with the gateway's JVM options ({@link GatewayLaunch#jvmOptions}). */
  List<String> command(List<String> jvmOptions) {
    Path home = distribution.home();
    List<String> c = new ArrayList<>();
    c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    c.addAll(jvmOptions);
    c.addAll(List.of(
        "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"),
        "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
        "-Djava.protocol.handler.pkgs=org.apache.catalina.webresources",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
        "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED",
        "-Dcatalina.home=" + home,
        "-Dcatalina.base=" + base,
        "-Djava.io.tmpdir=" + base.resolve("temp"),
        "-classpath", home.resolve("bin/bootstrap.jar") + File.pathSeparator + home.resolve("bin/tomcat-juli.jar"),
        "org.apache.catalina.startup.Bootstrap", "start"));
    return c;
  }

  /** Which Tomcat, for the report: {@code Tomcat 10.1.59 (official distribution)}. */
  String version() {
    return distribution.description();
  }

  /** The connector's attributes as written to server.xml, for the report. */
  String connectorSummary() {
    return connector.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
  }
}
