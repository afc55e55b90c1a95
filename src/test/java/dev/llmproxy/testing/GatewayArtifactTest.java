package dev.llmproxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayArtifactTest {

  @TempDir Path project;

  @Test
  void warPropertyWinsOverEverythingElse() throws IOException {
    Path war = Files.createFile(project.resolve("elsewhere.war"));
    createExplodedTree();
    Files.createFile(project.resolve("target/llm-proxy.war"));

    assertEquals(new GatewayArtifact.War(war), GatewayArtifact.locate(project, war.toString()));
  }

  @Test
  void missingWarNamedByThePropertyFailsInsteadOfFallingBack() throws IOException {
    createExplodedTree();

    IllegalStateException failure =
        assertThrows(IllegalStateException.class, () -> GatewayArtifact.locate(project, "/nope/llm-proxy.war"));
    assertEquals("llmproxy.war=/nope/llm-proxy.war does not exist; run 'mvn package' first", failure.getMessage());
  }

  @Test
  void builtWarIsPreferredOverTheExplodedTree() throws IOException {
    createExplodedTree();
    Path war = Files.createFile(project.resolve("target/llm-proxy.war"));

    assertEquals(new GatewayArtifact.War(war), GatewayArtifact.locate(project, null));
  }

  @Test
  void explodedTreeIsTheLastResort() throws IOException {
    createExplodedTree();

    assertEquals(
        new GatewayArtifact.Exploded(project.resolve("src/main/webapp"), project.resolve("target/classes")),
        GatewayArtifact.locate(project, ""));
  }

  @Test
  void nothingDeployableNamesWhereItLooked() {
    IllegalStateException failure =
        assertThrows(IllegalStateException.class, () -> GatewayArtifact.locate(project, null));

    assertTrue(failure.getMessage().contains(project.resolve("target/llm-proxy.war").toString()), failure.getMessage());
    assertTrue(failure.getMessage().contains("WEB-INF/web.xml"), failure.getMessage());
  }

  private void createExplodedTree() throws IOException {
    Files.createDirectories(project.resolve("src/main/webapp/WEB-INF"));
    Files.writeString(project.resolve("src/main/webapp/WEB-INF/web.xml"), "<web-app/>");
    Files.createDirectories(project.resolve("target/classes"));
  }
}
