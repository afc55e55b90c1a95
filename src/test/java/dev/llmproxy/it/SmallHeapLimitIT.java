package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.RawClient;
import dev.llmproxy.testing.UpstreamResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What one instance holds by default follows the heap as well as the open-file limit: in a Tomcat with a 300 MiB
 * heap (where this machine's files alone would allow thousands of streams), the stream beyond what the heap holds
 * is refused with 503 {@code gateway_busy}, and the log names the size the gateway chose. The refusal is
 * {@code max-open-requests}' (all providers together), whose default is the same as each route's pool's.
 */
class SmallHeapLimitIT {
  private static final String PATH = "/llm-proxy";
  private static final Pattern LIMIT_LINE = Pattern.compile("holds (\\d+) requests, its limit \\(max-open-requests\\)");

  @Test
  void aSmallHeapGivesASmallLimitAndTheBurstBeyondItMeetsGatewayBusy() throws Exception {
    Path work = ContainerProcess.WORK.resolve("tomcat-small-heap-files");
    ContainerProcess.deleteRecursively(work);
    try (FakeUpstream upstream = new FakeUpstream().start()) {
      upstream.respondWith(req -> UpstreamResponse.pacedStream(req.model(), 600, Duration.ofMillis(50), 8));
      Path configDir = TestConfigs.standard(work.resolve("config"), upstream, "");
      try (TomcatProcess tomcat = new TomcatProcess("tomcat-small-heap",
          ContainerProcess.distribution("llmproxy.tomcat10.home"),
          List.of(new Deployment(PATH, configDir, Deployment.Security.NONE)), false, List.of("-Xmx300m"))) {
        tomcat.start();
        List<RawClient> held = new ArrayList<>();
        String refused = null;
        try {
          while (refused == null && held.size() < 1000) {
            RawClient c = RawClient.connect(tomcat.port);
            c.post(PATH + "/v1/chat/completions", TestConfigs.CLIENT_KEY,
                "{\"model\":\"" + TestConfigs.MODEL + "\",\"stream\":true}");
            String head = c.readUntil("\r\n\r\n", 1);
            if (head.startsWith("HTTP/1.1 503")) {
              refused = c.readAll(500);
              c.close();
            } else {
              c.readUntil("data: ", 1);
              held.add(c);
            }
          }
          assertNotNull(refused, "1,000 streams held: the instance was not bounded by the heap");
          assertTrue(refused.contains("gateway_busy") && refused.contains("Retry-After"), refused);
          Matcher size = LIMIT_LINE.matcher(tomcat.log());
          assertTrue(size.find(), "the refusal's log line names the limit:\n" + tomcat.tail(40));
          int limit = Integer.parseInt(size.group(1));
          assertEquals(held.size(), limit, "every place held a stream before the refusal");
          // 300 MiB less 256 MiB for the rest, at 256 KiB a stream: ~130 (the collector keeps a little of -Xmx);
          // the open-file limit here alone would give thousands, and the floor of the default is 100.
          assertTrue(limit > 100 && limit < 300, "limit from the heap, got " + limit);
        } finally {
          for (RawClient c : held) {
            c.abort();
          }
        }
      }
    }
  }
}
