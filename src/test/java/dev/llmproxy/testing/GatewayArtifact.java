package dev.llmproxy.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;

/**
 * What {@link GatewayServer} deploys: the built WAR, or the exploded source tree when no WAR exists.
 *
 * <p>Immutable. {@link #locate} looks, in order, at:
 *
 * <ol>
 *   <li>the system property {@value #WAR_PROPERTY} (Failsafe sets it); if set, the file must exist;
 *   <li>{@code target/llm-proxy.war} under the project directory;
 *   <li>{@code src/main/webapp} plus {@code target/classes}, with the dependencies taken from the test class path.
 * </ol>
 */
public sealed interface GatewayArtifact {

  /** System property naming the WAR to deploy. */
  String WAR_PROPERTY = "llmproxy.war";

  /**
   * A packaged WAR, isolated the way a container isolates it: the webapp's parent shows only the JDK,
   * the Servlet API and Jetty, so every other class comes from the WAR's own {@code WEB-INF}.
   */
  record War(Path file) implements GatewayArtifact {
    /**
     * Deploys the WAR's content unpacked once per JVM ({@link UnpackedWar}): Jetty would unpack all 30 MB of it
     * into a fresh directory at every start, a second of each of the suite's many gateway starts.
     */
    @Override
    public void configure(WebAppContext webApp) {
      webApp.setWar(UnpackedWar.of(file).toString());
      webApp.setClassLoader(new org.eclipse.jetty.ee10.webapp.WebAppClassLoader(
          new ContainerOnlyClassLoader(GatewayArtifact.class.getClassLoader()), webApp));
    }
  }

  /**
   * An exploded webapp: {@code webappDir} holds {@code WEB-INF/web.xml}, {@code classesDir} the compiled classes.
   * Libraries are not copied; the webapp class loader finds them on the test class path through its parent.
   */
  record Exploded(Path webappDir, Path classesDir) implements GatewayArtifact {
    @Override
    public void configure(WebAppContext webApp) {
      webApp.setBaseResourceAsPath(webappDir.toAbsolutePath());
      webApp.setExtraClasspath(classesDir.toAbsolutePath().toString());
    }
  }

  /** Points {@code webApp} at this artifact. */
  void configure(WebAppContext webApp);

  /** Locates the artifact for the project in the current directory (Maven's {@code basedir} when set). */
  static GatewayArtifact locate() {
    Path projectDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    return locate(projectDir, System.getProperty(WAR_PROPERTY));
  }

  /**
   * Locates the artifact.
   *
   * @param projectDir the Maven project directory
   * @param warProperty the value of {@value #WAR_PROPERTY}, or {@code null}
   * @throws IllegalStateException naming every place it looked when nothing deployable exists
   */
  static GatewayArtifact locate(Path projectDir, String warProperty) {
    if (warProperty != null && !warProperty.isBlank()) {
      Path war = Path.of(warProperty);
      if (!Files.isRegularFile(war)) {
        throw new IllegalStateException(WAR_PROPERTY + "=" + war + " does not exist; run 'mvn package' first");
      }
      return new War(war);
    }
    Path war = projectDir.resolve("target/llm-proxy.war");
    if (Files.isRegularFile(war)) {
      return new War(war);
    }
    Path webappDir = projectDir.resolve("src/main/webapp");
    Path classesDir = projectDir.resolve("target/classes");
    if (Files.isRegularFile(webappDir.resolve("WEB-INF/web.xml")) && Files.isDirectory(classesDir)) {
      return new Exploded(webappDir, classesDir);
    }
    throw new IllegalStateException(
        "no gateway to deploy: " + WAR_PROPERTY + " is not set, "
            + war + " does not exist, and "
            + webappDir.resolve("WEB-INF/web.xml") + " with " + classesDir + " is incomplete; run 'mvn compile'");
  }
}
