package dev.llmproxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class PostgresProcessTest {
  @Test
  void servesQueriesOnItsPortAndStopsOnClose() throws Exception {
    int port;
    try (PostgresProcess pg = PostgresProcess.start()) {
      port = pg.port();
      pg.createDatabase("fixture_check");
      pg.execute("fixture_check", "CREATE TABLE t (n INTEGER)");
      pg.execute("fixture_check", "INSERT INTO t VALUES (41), (1)");
      try (Connection c = pg.connect("fixture_check");
          ResultSet rs = c.createStatement().executeQuery("SELECT SUM(n) FROM t")) {
        rs.next();
        assertEquals(42, rs.getInt(1));
      }
    }
    boolean stillListening;
    try (Socket s = new Socket("127.0.0.1", port)) {
      stillListening = s.isConnected();
    } catch (java.io.IOException e) {
      stillListening = false;
    }
    assertFalse(stillListening, "the server must be gone after close");
  }
}
