package dev.llmproxy.config;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** The process's open-file limit, which bounds how many connections one instance can hold. Stateless. */
final class OpenFiles {
  private OpenFiles() {}

  /** The limit ({@code ulimit -n}, {@code LimitNOFILE=}), or -1 when the JVM cannot tell. */
  static long limit() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
  }
}
