package dev.llmproxy.it.management;

import java.nio.file.Path;

/** Durable usage in the default store: the embedded H2 database in the data directory. */
class EmbeddedUsageIT extends DurableUsageSuite {
  @Override
  String usageYaml(Path dataDir) {
    // Nothing to configure: embedded is the default, in <config dir>/data.
    return "";
  }
}
