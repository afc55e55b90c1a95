package dev.llmproxy.usage;

import java.sql.Connection;
import java.sql.DriverManager;

/**
 * Another process holding an embedded usage database: opens the H2 file named by its argument, says
 * {@code holding}, and closes it when its standard input ends.
 */
public final class H2FileHolder {
  private H2FileHolder() {}

  public static void main(String[] args) throws Exception {
    try (Connection held = DriverManager.getConnection("jdbc:h2:file:" + args[0], "sa", "")) {
      System.out.println("holding");
      System.out.flush();
      while (System.in.read() >= 0) {
        // Holds the file until the test closes our standard input.
      }
    }
  }
}
