package dev.llmproxy.it;

import dev.llmproxy.testing.FakeUpstream;
import java.nio.file.Path;

/** The container smoke suite on Apache Tomcat 11 (official distribution, child process). */
class Tomcat11IT extends ContainerSuite {
  private TomcatProcess tomcat;

  @Override
  ContainerProcess newContainer(FakeUpstream upstream) throws Exception {
    Path base = ContainerProcess.WORK.resolve("tomcat-11");
    tomcat = new TomcatProcess("tomcat-11", ContainerProcess.distribution("llmproxy.tomcat11.home"),
        deployments(base.resolve("conf/llm-proxy"), base), false);
    return tomcat;
  }

  @Override
  Path rootConfigDir() {
    return tomcat.defaultConfigDir();
  }
}
