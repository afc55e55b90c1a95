package dev.llmproxy.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Eclipse Jetty 12 (ee10) from the official {@code jetty-home} distribution with its own
 * {@code jetty.base}: modules {@code http} and {@code ee10-deploy}, and one context XML per deployment in
 * {@code webapps/} pointing at the unchanged WAR (context path, config-dir init parameter, and for the
 * secured deployments an {@code overrideDescriptor}, the SSO jar on {@code extraClasspath} or a
 * {@code HashLoginService}) — the files README's
 * "Deploy to Jetty" and "Put it behind your SSO" tell an operator to write.
 */
final class JettyProcess extends ContainerProcess {

  private final List<String> properties;

  JettyProcess(String name, Path home, List<Deployment> deployments) throws IOException {
    this(name, home, deployments, List.of());
  }

  /** {@code properties} are start.jar properties such as {@code jetty.deploy.scanInterval=1}. */
  JettyProcess(String name, Path home, List<Deployment> deployments, List<String> properties) throws IOException {
    super(name, home, deployments);
    this.properties = List.copyOf(properties);
  }

  @Override
  void layOut() throws IOException {
    Files.createDirectories(base.resolve("webapps"));
    Files.createDirectories(base.resolve("work"));
    Files.createDirectories(base.resolve("logs"));
    Files.writeString(base.resolve("etc-realm.properties"), """
        %s: %s,%s,%s
        %s: %s
        """.formatted(Deployment.ALICE, Deployment.ALICE_PASSWORD, Deployment.CLIENT_ROLE, Deployment.ADMIN_ROLE,
        Deployment.BOB, Deployment.BOB_PASSWORD), StandardCharsets.UTF_8);
    for (Deployment d : deployments) {
      deploy(d);
    }
  }

  /** Writes the deployment's context XML into {@code webapps/} (with hot deploy on, this deploys it). */
  void deploy(Deployment d) throws IOException {
    Files.writeString(base.resolve("webapps/" + d.baseName() + ".xml"), contextXml(d), StandardCharsets.UTF_8);
  }

  /** Removes the deployment's context XML (with hot deploy on, this undeploys it). */
  void undeploy(Deployment d) throws IOException {
    Files.delete(base.resolve("webapps/" + d.baseName() + ".xml"));
  }

  private String contextXml(Deployment d) throws IOException {
    StringBuilder xml = new StringBuilder("""
        <?xml version="1.0"?>
        <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
        <Configure id="wac" class="org.eclipse.jetty.ee10.webapp.WebAppContext">
        """);
    xml.append("  <Set name=\"contextPath\">").append(d.contextPath()).append("</Set>\n");
    xml.append("  <Set name=\"war\">").append(WAR).append("</Set>\n");
    xml.append("  <Call name=\"setInitParameter\"><Arg>llmproxy.config.dir</Arg><Arg>").append(d.configDir())
        .append("</Arg></Call>\n");
    if (d.security() != Deployment.Security.NONE) {
      Path override = base.resolve(d.baseName() + "-override-web.xml");
      Files.writeString(override, Deployment.overrideWebXml(d.descriptorSnippet()), StandardCharsets.UTF_8);
      xml.append("  <Set name=\"overrideDescriptor\">").append(override).append("</Set>\n");
    }
    if (d.security() == Deployment.Security.SSO_FILTER) {
      Path jar = Deployment.writeSsoFilterJar(base.resolve("lib/sso-filter.jar"));
      xml.append("  <Set name=\"extraClasspath\">").append(jar).append("</Set>\n");
    }
    if (d.security() == Deployment.Security.BASIC_REALM) {
      xml.append("""
            <Call id="realmFile" name="newResource"><Arg>%s</Arg></Call>
            <Get name="securityHandler">
              <Set name="loginService">
                <New class="org.eclipse.jetty.security.HashLoginService">
                  <Arg>llm-proxy</Arg>
                  <Arg><Ref refid="realmFile"/></Arg>
                </New>
              </Set>
            </Get>
          """.formatted(base.resolve("etc-realm.properties")));
    }
    xml.append("</Configure>\n");
    return xml.toString();
  }

  @Override
  List<String> command() {
    List<String> c = new java.util.ArrayList<>(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Djetty.home=" + home, "-Djetty.base=" + base, "-Djava.io.tmpdir=" + base.resolve("work"),
        "-jar", home.resolve("start.jar").toString(),
        // Properties before --module: after an environment module they would be scoped to it.
        "jetty.http.host=127.0.0.1", "jetty.http.port=" + port));
    c.addAll(properties);
    c.add("--module=http,ee10-deploy");
    return c;
  }
}
