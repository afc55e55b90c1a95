package dev.llmproxy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load average ({@code /proc/loadavg}), so a report says how busy the machine was. */
final class LoadAverage {
  private LoadAverage() {}

  /** "1.02 / 0.87 / 0.66" (1, 5 and 15 minutes), or "unknown" off Linux. */
  static String read() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
