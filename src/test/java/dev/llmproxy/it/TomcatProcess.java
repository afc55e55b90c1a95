package dev.llmproxy.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Apache Tomcat (10.1 or 11) from its official distribution, or Debian's packaged Tomcat 10.1
 * ({@link #debian}), with its own {@code CATALINA_BASE}: a generated {@code server.xml} (loopback connector,
 * no shutdown port), the distribution's {@code web.xml}, {@code context.xml}, {@code catalina.properties} and
 * {@code logging.properties}, the WAR copied into {@code webapps/} once per deployment, and for each deployment
 * that needs it a context descriptor in {@code conf/Catalina/localhost/} — exactly the files
 * README's "Deploy to Tomcat" and "Put it behind your SSO" tell an operator to write.
 *
 * <p>A deployment whose config dir is {@code ${catalina.base}/conf/llm-proxy} gets no descriptor at
 * all: the gateway finds that directory by itself.
 */
final class TomcatProcess extends ContainerProcess {
  static final String MANAGER_USER = "deployer";
  static final String MANAGER_PASSWORD = "deployer-secret";

  private final boolean withManager;
  private final List<String> jvmArgs;
  /** Where the default configuration files are copied from: the distribution's {@code conf}, or Debian's templates. */
  private final Path confTemplates;

  TomcatProcess(String name, Path home, List<Deployment> deployments, boolean withManager) throws IOException {
    this(name, home, deployments, withManager, List.of());
  }

  /** {@code jvmArgs} play the part of {@code CATALINA_OPTS}. */
  TomcatProcess(String name, Path home, List<Deployment> deployments, boolean withManager, List<String> jvmArgs)
      throws IOException {
    this(name, home, home.resolve("conf"), deployments, withManager, jvmArgs);
  }

  private TomcatProcess(String name, Path home, Path confTemplates, List<Deployment> deployments, boolean withManager,
      List<String> jvmArgs) throws IOException {
    super(name, home, deployments);
    this.confTemplates = confTemplates;
    this.withManager = withManager;
    this.jvmArgs = List.copyOf(jvmArgs);
  }

  /**
   * Debian's packaged Tomcat 10.1, as {@code apt-get install tomcat10} leaves it: {@code home} is
   * {@code /usr/share/tomcat10} (its jars, most of them links into {@code /usr/share/java}) and the default
   * configuration files are the templates the package keeps in {@code home/etc}. The base is our own, as
   * for the official distribution; the package's system service is not used.
   */
  static TomcatProcess debian(String name, Path home, List<Deployment> deployments) throws IOException {
    Path templates = home.resolve("etc");
    if (!Files.isRegularFile(templates.resolve("web.xml"))) {
      throw new IllegalStateException(name + ": Debian's Tomcat 10.1 is not installed (no "
          + templates.resolve("web.xml") + "); .ci/run installs the tomcat10 package");
    }
    return new TomcatProcess(name, home, templates, deployments, false, List.of());
  }

  /** The directory the gateway finds without any setting: {@code ${catalina.base}/conf/llm-proxy}. */
  Path defaultConfigDir() {
    return base.resolve("conf/llm-proxy");
  }

  @Override
  void layOut() throws IOException {
    Path conf = Files.createDirectories(base.resolve("conf"));
    for (String f : List.of("web.xml", "context.xml", "catalina.properties", "logging.properties")) {
      Files.copy(confTemplates.resolve(f), conf.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    for (String d : List.of("logs", "temp", "work", "webapps", "lib", "conf/Catalina/localhost")) {
      Files.createDirectories(base.resolve(d));
    }
    Files.writeString(conf.resolve("server.xml"), serverXml(), StandardCharsets.UTF_8);
    Files.writeString(conf.resolve("tomcat-users.xml"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <tomcat-users xmlns="http://tomcat.apache.org/xml" version="1.0">
          <user username="%s" password="%s" roles="manager-script"/>
        </tomcat-users>
        """.formatted(MANAGER_USER, MANAGER_PASSWORD), StandardCharsets.UTF_8);
    Files.writeString(conf.resolve("llm-proxy-users.xml"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <tomcat-users>
          <user username="%s" password="%s" roles="%s,%s"/>
          <user username="%s" password="%s" roles=""/>
        </tomcat-users>
        """.formatted(Deployment.ALICE, Deployment.ALICE_PASSWORD, Deployment.CLIENT_ROLE, Deployment.ADMIN_ROLE,
        Deployment.BOB, Deployment.BOB_PASSWORD), StandardCharsets.UTF_8);
    if (deployments.stream().anyMatch(d -> d.security() == Deployment.Security.SSO_FILTER)) {
      // An SSO library goes to ${catalina.base}/lib, as Tomcat adapters do; the WAR stays untouched.
      Deployment.writeSsoFilterJar(base.resolve("lib/sso-filter.jar"));
    }
    for (Deployment d : deployments) {
      deploy(d);
    }
    if (withManager) {
      Files.writeString(base.resolve("conf/Catalina/localhost/manager.xml"), """
          <Context docBase="%s" privileged="true" antiResourceLocking="false">
            <Valve className="org.apache.catalina.valves.RemoteAddrValve" allow="127\\.\\d+\\.\\d+\\.\\d+|::1"/>
          </Context>
          """.formatted(home.resolve("webapps/manager")), StandardCharsets.UTF_8);
    }
  }

  /** Copies the WAR as {@code webapps/<name>.war} and writes the context descriptor it needs, if any. */
  void deploy(Deployment d) throws IOException {
    Files.copy(WAR, base.resolve("webapps/" + d.baseName() + ".war"), StandardCopyOption.REPLACE_EXISTING);
    Path descriptor = base.resolve("conf/Catalina/localhost/" + d.baseName() + ".xml");
    if ((d.configDir() == null || d.configDir().equals(defaultConfigDir()))
        && d.security() == Deployment.Security.NONE && d.contextResources().isEmpty()) {
      Files.deleteIfExists(descriptor);
      return;
    }
    StringBuilder xml = new StringBuilder("<Context");
    if (d.security() != Deployment.Security.NONE) {
      Path webXml = base.resolve("conf/" + d.baseName() + "-web.xml");
      Files.writeString(webXml, Deployment.warWebXmlWith(d.descriptorSnippet()), StandardCharsets.UTF_8);
      xml.append(" altDDName=\"").append(webXml).append('"');
    }
    xml.append(">\n");
    if (d.configDir() != null) {
      xml.append("  <Parameter name=\"llmproxy.config.dir\" value=\"").append(d.configDir())
          .append("\" override=\"false\"/>\n");
    }
    if (d.security() == Deployment.Security.BASIC_REALM) {
      xml.append("  <Realm className=\"org.apache.catalina.realm.MemoryRealm\" pathname=\"")
          .append(base.resolve("conf/llm-proxy-users.xml")).append("\"/>\n");
    }
    xml.append(d.contextResources());
    xml.append("</Context>\n");
    Files.writeString(descriptor, xml, StandardCharsets.UTF_8);
  }

  private String serverXml() {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <Server port="-1" shutdown="SHUTDOWN">
          <Listener className="org.apache.catalina.startup.VersionLoggerListener"/>
          <Listener className="org.apache.catalina.core.JreMemoryLeakPreventionListener"/>
          <Listener className="org.apache.catalina.mbeans.GlobalResourcesLifecycleListener"/>
          <Listener className="org.apache.catalina.core.ThreadLocalLeakPreventionListener"/>
          <GlobalNamingResources>
            <Resource name="UserDatabase" auth="Container" type="org.apache.catalina.UserDatabase"
                      factory="org.apache.catalina.users.MemoryUserDatabaseFactory" pathname="conf/tomcat-users.xml"/>
          </GlobalNamingResources>
          <Service name="Catalina">
            <Connector port="%d" address="127.0.0.1" protocol="HTTP/1.1" connectionTimeout="20000"/>
            <Engine name="Catalina" defaultHost="localhost">
              <Realm className="org.apache.catalina.realm.UserDatabaseRealm" resourceName="UserDatabase"/>
              <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="false" startStopThreads="2"/>
            </Engine>
          </Service>
        </Server>
        """.formatted(port);
  }

  @Override
  List<String> command() {
    // The test's own options come after the defaults, so one of them (a smaller -Xmx) wins, as CATALINA_OPTS would.
    List<String> c = new ArrayList<>(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    c.addAll(jvmArgs);
    c.addAll(List.of(
        "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"),
        "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
        "-Djava.protocol.handler.pkgs=org.apache.catalina.webresources",
        // As catalina.sh does: lets Tomcat's leak detection look into JDK internals.
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
        "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED",
        "-Dcatalina.home=" + home,
        "-Dcatalina.base=" + base,
        "-Djava.io.tmpdir=" + base.resolve("temp"),
        "-classpath", home.resolve("bin/bootstrap.jar") + java.io.File.pathSeparator + home.resolve("bin/tomcat-juli.jar"),
        "org.apache.catalina.startup.Bootstrap", "start"));
    return c;
  }

  /** Calls the manager's text interface, e.g. {@code undeploy?path=/llm-proxy}; returns its answer. */
  String manager(String command) throws IOException, InterruptedException {
    java.net.http.HttpResponse<String> r = new GatewayHttp().get(uri("/manager", "/text/" + command),
        "Authorization", GatewayHttp.basic(MANAGER_USER, MANAGER_PASSWORD));
    if (r.statusCode() != 200) {
      throw new IllegalStateException("manager " + command + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }
}
