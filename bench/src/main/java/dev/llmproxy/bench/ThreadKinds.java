package dev.llmproxy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What kind of thread a Linux thread id is, for the switch table's split by thread: the Java thread's name with
 * every number replaced by {@code N} ({@code http-nio-N.N.N.N-N-exec-N}, {@code llm-proxy-upstream-direct-N}), so a
 * pool's threads count together. The kernel's own name ({@code /proc/.../comm}) keeps only 15 characters, which
 * leaves Tomcat's poller and workers alike, so the full names of a JVM's threads come from {@code jcmd Thread.print}
 * (the native id is its {@code nid}), asked again whenever a thread it has not seen appears; other processes (nginx)
 * keep the kernel's name. Not thread-safe.
 */
final class ThreadKinds {
  private static final Pattern THREAD_LINE = Pattern.compile("^\"(.*)\" .*\\bnid=(0x[0-9a-f]+|\\d+)\\b");
  private static final Pattern NUMBER = Pattern.compile("\\d+");

  private final Map<Long, Map<Long, String>> namesByProcess = new HashMap<>();

  /** The kind of thread {@code tid} of process {@code pid}. */
  String kindOf(long pid, long tid) throws IOException {
    Map<Long, String> names = namesByProcess.computeIfAbsent(pid, p -> new HashMap<>());
    String name = names.get(tid);
    if (name == null) {
      names.putAll(javaThreadNames(pid));
      name = names.computeIfAbsent(tid, t -> kernelName(pid, t));
    }
    return NUMBER.matcher(name).replaceAll("N");
  }

  /** Native id to name of every thread of a JVM; empty for another process or when jcmd cannot attach. */
  private static Map<Long, String> javaThreadNames(long pid) throws IOException {
    Map<Long, String> names = new HashMap<>();
    boolean isJava = ProcessHandle.of(pid).flatMap(h -> h.info().command()).map(c -> c.endsWith("/java")).orElse(false);
    if (!isJava) {
      return names;
    }
    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
    for (String line : new String(jcmd.getInputStream().readAllBytes()).split("\n")) {
      Matcher m = THREAD_LINE.matcher(line);
      if (m.find()) {
        String nid = m.group(2);
        names.put(nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid), m.group(1));
      }
    }
    try {
      jcmd.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return names;
  }

  private static String kernelName(long pid, long tid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "comm")).trim();
    } catch (IOException threadEnded) {
      return "ended";
    }
  }
}
