package dev.llmproxy.it;

import dev.llmproxy.testing.FakeUpstream;
import java.nio.file.Path;

/** The container smoke suite on Eclipse Jetty 12 ee10 (official jetty-home distribution, child process). */
class Jetty12IT extends ContainerSuite {
  private static final Path BASE = ContainerProcess.WORK.resolve("jetty-12");

  @Override
  ContainerProcess newContainer(FakeUpstream upstream) throws Exception {
    return new JettyProcess("jetty-12", ContainerProcess.distribution("llmproxy.jetty.home"),
        deployments(rootConfigDir(), BASE));
  }

  @Override
  Path rootConfigDir() {
    return BASE.resolve("config-standard");
  }
}
