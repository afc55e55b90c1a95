package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import org.junit.jupiter.api.Test;

/**
 * The built WAR's libraries: no class in two jars of {@code WEB-INF/lib}. Two copies of one API make the
 * container's annotation scan warn for every class they share (Jetty printed 31 warnings for two
 * jakarta.activation jars) and leave which one loads to the class path order.
 */
class WarContentsIT {
  @Test
  void noClassIsInTwoLibraries() throws IOException {
    Map<String, TreeSet<String>> jarsByClass = new TreeMap<>();
    try (JarFile war = new JarFile(ContainerProcess.WAR.toFile())) {
      for (JarEntry lib : war.stream().filter(e -> e.getName().startsWith("WEB-INF/lib/")
          && e.getName().endsWith(".jar")).toList()) {
        try (InputStream in = war.getInputStream(lib); JarInputStream jar = new JarInputStream(in)) {
          for (JarEntry entry = jar.getNextJarEntry(); entry != null; entry = jar.getNextJarEntry()) {
            String name = entry.getName();
            if (name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class")) {
              jarsByClass.computeIfAbsent(name, n -> new TreeSet<>()).add(lib.getName().substring(12));
            }
          }
        }
      }
    }
    Map<String, TreeSet<String>> duplicated = new TreeMap<>();
    jarsByClass.forEach((name, jars) -> {
      if (jars.size() > 1) {
        duplicated.put(name, jars);
      }
    });

    assertEquals(Map.of(), duplicated);
  }
}
