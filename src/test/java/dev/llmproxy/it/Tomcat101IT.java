package dev.llmproxy.it;

import dev.llmproxy.testing.FakeUpstream;
import java.nio.file.Path;

/**
 * The container smoke suite on Apache Tomcat 10.1 (official distribution, child process; Debian's package:
 * {@link DebianTomcat101IT}).
 */
class Tomcat101IT extends ContainerSuite {
  private TomcatProcess tomcat;

  @Override
  ContainerProcess newContainer(FakeUpstream upstream) throws Exception {
    Path base = ContainerProcess.WORK.resolve("tomcat-10.1");
    tomcat = new TomcatProcess("tomcat-10.1", ContainerProcess.distribution("llmproxy.tomcat10.home"),
        deployments(base.resolve("conf/llm-proxy"), base), false);
    return tomcat;
  }

  @Override
  Path rootConfigDir() {
    return tomcat.defaultConfigDir();
  }
}
