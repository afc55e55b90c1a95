package dev.llmproxy.it;

import static dev.llmproxy.it.GatewayHttp.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.testing.FakeUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@code usage.store: jdbc} with {@code usage.datasource}: the records go to a DataSource the operator declared
 * in Tomcat's context descriptor (a {@code <Resource>} on Tomcat's own pool, the H2 driver in
 * {@code ${catalina.base}/lib}), as README-deploy.md describes; the gateway opens no pool of its own.
 */
class TomcatJndiUsageIT {
  private static final String PATH = "/llm-proxy";
  private static final String JNDI_NAME = "java:comp/env/jdbc/llmproxy";

  private final GatewayHttp http = new GatewayHttp();

  @Test
  void usageRecordsGoToTheContainersDataSource() throws Exception {
    Path work = ContainerProcess.WORK.resolve("tomcat-jndi-usage-files");
    ContainerProcess.deleteRecursively(work);
    Path database = work.resolve("db/usage");
    try (FakeUpstream upstream = new FakeUpstream().start()) {
      Path configDir = TestConfigs.standard(work.resolve("config"), upstream, """
          usage:
            store: jdbc
            datasource: "%s"
          """.formatted(JNDI_NAME));
      String resource = """
            <Resource name="jdbc/llmproxy" auth="Container" type="javax.sql.DataSource"
                      driverClassName="org.h2.Driver" url="jdbc:h2:file:%s;DB_CLOSE_ON_EXIT=FALSE"
                      username="sa" password="" maxTotal="4"/>
          """.formatted(database);
      try (TomcatProcess tomcat = new TomcatProcess("tomcat-jndi-usage",
          ContainerProcess.distribution("llmproxy.tomcat11.home"),
          List.of(new Deployment(PATH, configDir, Deployment.Security.NONE, resource)), false)) {
        Path lib = Files.createDirectories(tomcat.base.resolve("lib"));
        Files.copy(h2Jar(), lib.resolve("h2.jar"), StandardCopyOption.REPLACE_EXISTING);
        tomcat.start();

        HttpResponse<String> chat = http.post(tomcat.uri(PATH, "/v1/chat/completions"), GatewayHttp.CHAT,
            "Authorization", bearer(TestConfigs.CLIENT_KEY));
        assertEquals(200, chat.statusCode(), chat.body());
        HttpResponse<String> usage = http.get(tomcat.uri(PATH, "/v0/management/usage?group-by=model"),
            "Authorization", bearer(TestConfigs.MANAGEMENT_KEY));
        assertEquals(200, usage.statusCode(), usage.body());
        JsonNode rows = new ObjectMapper().readTree(usage.body()).get("rows");
        assertEquals(1, rows.size(), usage.body());
        assertEquals(TestConfigs.MODEL, rows.get(0).get("key").asText());
        assertEquals(1, rows.get(0).get("succeeded").asLong());
        assertTrue(tomcat.log().contains("Usage records go to container DataSource " + JNDI_NAME), tomcat.tail(40));
      }
    }
    assertEquals(1, rowsIn(database), "the record is in the container's database");
  }

  /** The H2 jar on the test class path: the same driver the operator would put in Tomcat's lib. */
  private static Path h2Jar() throws Exception {
    return Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static long rowsIn(Path database) throws Exception {
    Properties user = new Properties();
    user.setProperty("user", "sa");
    user.setProperty("password", "");
    try (Connection c = new org.h2.Driver().connect("jdbc:h2:file:" + database, user);
        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM llmproxy_usage")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
