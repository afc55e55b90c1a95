package dev.llmproxy.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs Debian's {@code wrk} (POST with a Lua script) and reads its latency distribution and rate. */
final class Wrk {
  /** One wrk run. Latencies in milliseconds; {@code requests}: how many completed. */
  record Result(double p50, double p90, double p99, double requestsPerSecond, long requests, long errors,
      String raw) {}

  private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|75|90|99)%\\s+([0-9.]+)(us|ms|s)\\s*$");
  private static final Pattern RATE = Pattern.compile("^Requests/sec:\\s+([0-9.]+)");
  private static final Pattern COUNT = Pattern.compile("^\\s*(\\d+) requests in ");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern SOCKET = Pattern.compile(
      "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  private final Path script;

  Wrk(Path workDir, byte[] body) throws IOException {
    script = workDir.resolve("post.lua");
    String lua = "wrk.method = \"POST\"\n"
        + "wrk.body = [[" + new String(body, StandardCharsets.UTF_8) + "]]\n"
        + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
        + "wrk.headers[\"Authorization\"] = \"Bearer " + ChatRequests.CLIENT_KEY + "\"\n";
    Files.writeString(script, lua);
  }

  Result run(String url, int threads, int connections, int seconds) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
        "--latency", "-s", script.toString(), url));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("wrk failed: " + out);
    }
    double p50 = Double.NaN;
    double p90 = Double.NaN;
    double p99 = Double.NaN;
    double rate = Double.NaN;
    long requests = 0;
    long errors = 0;
    for (String line : out.split("\n")) {
      Matcher m = PERCENTILE.matcher(line);
      if (m.find()) {
        double v = Double.parseDouble(m.group(2)) * switch (m.group(3)) {
          case "us" -> 0.001;
          case "ms" -> 1.0;
          default -> 1000.0;
        };
        switch (m.group(1)) {
          case "50" -> p50 = v;
          case "90" -> p90 = v;
          case "99" -> p99 = v;
          default -> { }
        }
      }
      m = RATE.matcher(line);
      if (m.find()) {
        rate = Double.parseDouble(m.group(1));
      }
      m = COUNT.matcher(line);
      if (m.find()) {
        requests = Long.parseLong(m.group(1));
      }
      m = NON_2XX.matcher(line);
      if (m.find()) {
        errors += Long.parseLong(m.group(1));
      }
      m = SOCKET.matcher(line);
      if (m.find()) {
        for (int g = 1; g <= 4; g++) {
          errors += Long.parseLong(m.group(g));
        }
      }
    }
    return new Result(p50, p90, p99, rate, requests, errors, out);
  }
}
