package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The container smoke suite on Debian's packaged Tomcat 10.1 (the {@code tomcat10} package: its jars from
 * {@code /usr/share/java}, its configuration templates), where most users deploy the WAR. The official
 * distribution of the same version runs in {@link Tomcat101IT}.
 */
class DebianTomcat101IT extends ContainerSuite {
  private TomcatProcess tomcat;

  @Override
  ContainerProcess newContainer(FakeUpstream upstream) throws Exception {
    Path base = ContainerProcess.WORK.resolve("debian-tomcat-10.1");
    tomcat = TomcatProcess.debian("debian-tomcat-10.1", ContainerProcess.distribution("llmproxy.debian-tomcat10.home"),
        deployments(base.resolve("conf/llm-proxy"), base));
    return tomcat;
  }

  @Override
  Path rootConfigDir() {
    return tomcat.defaultConfigDir();
  }

  /** The suite ran in Debian's build, not in an official distribution that happened to be there. */
  @Test
  void runsInDebiansOwnTomcat() throws Exception {
    String log = tomcat.log();
    assertTrue(log.matches("(?s).*Server version name: +Apache Tomcat/10\\.1\\.\\d+ \\(Debian\\).*"),
        "the container's version line should name Debian's Tomcat 10.1:\n" + log.lines().limit(20).toList());
  }
}
