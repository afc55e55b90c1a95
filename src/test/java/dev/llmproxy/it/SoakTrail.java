package dev.llmproxy.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What the soak's upstream saw of each request: the key of every attempt that reached it, in order, and when
 * (milliseconds after the request's first attempt). A wrong answer carries its request's trail, so the report
 * shows which attempts the gateway made and how far apart, not only what the client got. Thread-safe.
 */
final class SoakTrail {
  private record Visit(String key, long nanos) {}

  private final Map<String, List<Visit>> visits = new ConcurrentHashMap<>();

  /** Notes that an attempt of the request named {@code request} reached the upstream with {@code key}. */
  void visit(String request, String key) {
    List<Visit> list = visits.computeIfAbsent(request, r -> new ArrayList<>(3));
    synchronized (list) {
      list.add(new Visit(key, System.nanoTime()));
    }
  }

  /** Forgets every request: the next phase's requests reuse the names. */
  void clear() {
    visits.clear();
  }

  /** The keys of the request's attempts that reached the upstream. */
  Set<String> keys(String request) {
    List<Visit> list = visits.get(request);
    if (list == null) {
      return Set.of();
    }
    synchronized (list) {
      return list.stream().map(Visit::key).collect(Collectors.toSet());
    }
  }

  /** The request's attempts as {@code steady-1@0ms, steady-2@4ms}, or a word when none reached the upstream. */
  String of(String request) {
    List<Visit> list = visits.get(request);
    if (list == null) {
      return "no attempt reached the upstream";
    }
    synchronized (list) {
      long first = list.get(0).nanos();
      StringJoiner seen = new StringJoiner(", ", "upstream saw ", "");
      for (Visit v : list) {
        seen.add(v.key() + "@" + (v.nanos() - first) / 1_000_000 + "ms");
      }
      return seen.toString();
    }
  }
}
