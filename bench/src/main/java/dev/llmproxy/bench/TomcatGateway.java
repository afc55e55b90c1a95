package dev.llmproxy.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays out a Tomcat base for the gateway ({@code -Dbench.container=tomcat}): the official distribution
 * the gateway's integration tests use ({@code target/containers/apache-tomcat-*}), the built WAR as
 * {@code webapps/ROOT.war}, and a connector with the settings that matter for this load (see
 * bench/README.md): NIO, {@code maxConnections} 20,000 and {@code acceptCount} 4096 (the defaults, 8192
 * and 100, would refuse the open-streams scenario), a thread pool of {@code bench.gatewayMaxThreads},
 * unlimited requests per kept-alive connection (Tomcat's default of 100 would make wrk reconnect; Jetty
 * and nginx here do not), 120 s timeouts. Started as {@code java ... Bootstrap start}, as catalina.sh does.
 */
final class TomcatGateway {
  private final Path home;
  private final Path base;

  private TomcatGateway(Path home, Path base) {
    this.home = home;
    this.base = base;
  }

  /** The newest Tomcat distribution under {@code containersDir}; fails with the command that unpacks it. */
  static TomcatGateway layOut(Path containersDir, Path base, Path war, int port, int maxThreads) throws IOException {
    Path home;
    try (var dirs = Files.list(containersDir)) {
      home = dirs.filter(d -> d.getFileName().toString().startsWith("apache-tomcat-")).sorted()
          .reduce((a, b) -> b).orElseThrow();
    } catch (IOException | RuntimeException e) {
      throw new IOException("no Tomcat distribution in " + containersDir + "; unpack it with: mvn -f pom.xml "
          + "dependency:unpack@unpack-containers", e);
    }
    Path conf = Files.createDirectories(base.resolve("conf"));
    for (String f : List.of("web.xml", "context.xml", "catalina.properties", "logging.properties")) {
      Files.copy(home.resolve("conf").resolve(f), conf.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    for (String d : List.of("logs", "temp", "work", "webapps")) {
      Files.createDirectories(base.resolve(d));
    }
    Files.copy(war, base.resolve("webapps/ROOT.war"), StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(conf.resolve("server.xml"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <Server port="-1" shutdown="SHUTDOWN">
          <Service name="Catalina">
            <Connector port="%d" address="127.0.0.1" protocol="org.apache.coyote.http11.Http11NioProtocol"
                       maxThreads="%d" minSpareThreads="8" maxConnections="20000" acceptCount="4096"
                       maxKeepAliveRequests="-1" connectionTimeout="120000" keepAliveTimeout="120000"/>
            <Engine name="Catalina" defaultHost="localhost">
              <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="false"/>
            </Engine>
          </Service>
        </Server>
        """.formatted(port, maxThreads));
    return new TomcatGateway(home, base);
  }

  /** The command line, with the gateway's JVM options ({@link GatewayLaunch#jvmOptions}). */
  List<String> command(List<String> jvmOptions) {
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

  String version() {
    return home.getFileName().toString().replace("apache-tomcat-", "Tomcat ");
  }
}
