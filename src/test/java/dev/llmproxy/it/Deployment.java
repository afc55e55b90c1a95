package dev.llmproxy.it;

import dev.llmproxy.it.sso.HeaderSsoFilter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * One deployment of the unchanged WAR in a container: its context path, its config directory, and the
 * security the operator put in front of it. The snippets below are what README's "Put it behind your SSO"
 * tells operators to add; containers splice them into a deployment descriptor (Tomcat: a copy of the WAR's
 * web.xml named by {@code altDDName}; Jetty: an {@code overrideDescriptor}). {@code contextResources} is XML
 * for Tomcat's context descriptor (a JNDI {@code <Resource>}), empty for none.
 */
record Deployment(String contextPath, Path configDir, Security security, String contextResources) {

  /** A deployment without resources of its own in the context descriptor. */
  Deployment(String contextPath, Path configDir, Security security) {
    this(contextPath, configDir, security, "");
  }

  /** What stands in front of the gateway. */
  enum Security {
    /** Nothing: API keys only. */
    NONE,
    /** An SSO filter (here {@link HeaderSsoFilter}) that wraps the request and sets the principal. */
    SSO_FILTER,
    /** A {@code security-constraint} with BASIC authentication against a container realm. */
    BASIC_REALM
  }

  /** Realm users: alice may use the gateway and manage it; bob is authenticated but has neither role. */
  static final String ALICE = "alice";
  static final String ALICE_PASSWORD = "alice-secret";
  static final String BOB = "bob";
  static final String BOB_PASSWORD = "bob-secret";
  static final String CLIENT_ROLE = "llm-proxy-user";
  static final String ADMIN_ROLE = "llm-proxy-admin";

  static final String SSO_FILTER_SNIPPET = """
        <filter>
          <filter-name>sso</filter-name>
          <filter-class>%s</filter-class>
          <async-supported>true</async-supported>
        </filter>
        <filter-mapping>
          <filter-name>sso</filter-name>
          <url-pattern>/*</url-pattern>
        </filter-mapping>
      """.formatted(HeaderSsoFilter.class.getName());

  static final String BASIC_SNIPPET = """
        <security-constraint>
          <web-resource-collection>
            <web-resource-name>gateway</web-resource-name>
            <url-pattern>/v1/*</url-pattern>
            <url-pattern>/v0/*</url-pattern>
          </web-resource-collection>
          <auth-constraint>
            <role-name>**</role-name>
          </auth-constraint>
        </security-constraint>
        <login-config>
          <auth-method>BASIC</auth-method>
          <realm-name>llm-proxy</realm-name>
        </login-config>
        <security-role><role-name>llm-proxy-user</role-name></security-role>
        <security-role><role-name>llm-proxy-admin</role-name></security-role>
      """;

  /** The snippet this deployment's security needs in a deployment descriptor. */
  String descriptorSnippet() {
    return switch (security) {
      case NONE -> "";
      case SSO_FILTER -> SSO_FILTER_SNIPPET;
      case BASIC_REALM -> BASIC_SNIPPET;
    };
  }

  /** A file-system-safe name for descriptors: {@code ROOT} for "/", else the path without slash. */
  String baseName() {
    return contextPath.equals("/") ? "ROOT" : contextPath.substring(1);
  }

  /** The WAR's own {@code WEB-INF/web.xml} with {@code snippet} added before {@code </web-app>}. */
  static String warWebXmlWith(String snippet) throws IOException {
    try (JarFile war = new JarFile(ContainerProcess.WAR.toFile());
        InputStream in = war.getInputStream(war.getEntry("WEB-INF/web.xml"))) {
      String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return xml.replace("</web-app>", snippet + "</web-app>");
    }
  }

  /** An empty {@code web-app} document holding {@code snippet} (Jetty's override descriptor). */
  static String overrideWebXml(String snippet) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
        %s</web-app>
        """.formatted(snippet);
  }

  /** Packs the test SSO filter into {@code jar}, as an operator's SSO library would arrive. */
  static Path writeSsoFilterJar(Path jar) throws IOException {
    Path classes;
    try {
      classes = Path.of(HeaderSsoFilter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    Path packageDir = classes.resolve(HeaderSsoFilter.class.getPackageName().replace('.', '/'));
    Files.createDirectories(jar.getParent());
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out);
        Stream<Path> files = Files.list(packageDir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
        jarOut.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
        jarOut.write(Files.readAllBytes(p));
        jarOut.closeEntry();
      }
    }
    return jar;
  }
}
