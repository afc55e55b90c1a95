package dev.llmproxy.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigYamlResourceTest {
  private static final String CONFIG = """
      api-keys:
        - "client-key-0001-aaaa"
      #  - "sk-old-client-0123456789-dead"
      # - key: "team-b-0123456789-cafe"   # left the company
      openai-compatibility:
        - name: alpha
          base-url: "http://127.0.0.1:9/v1"
          api-key-entries:
            - api-key: "sk-alpha-0123456789-b780"
            # - api-key: sk-live-9876543210-beef   # the old account
      # api-key: sk-live-1111222233334444
      # api-keys: the client keys, one a line
      """;

  @TempDir
  Path dir;
  Path file;
  ConfigYamlResource resource;

  @BeforeEach
  void writeConfig() throws IOException {
    file = Files.writeString(dir.resolve("config.yaml"), CONFIG);
    resource = new ConfigYamlResource(new ConfigStore(file, new ConfigLoader(Map.<String, String>of()::get),
        new ConfigStoreTest.RecordingInstaller()));
  }

  @Test
  void getMasksSecretsInCommentsAsInValues() {
    String shown = (String) resource.get(false, null).getEntity();

    assertFalse(shown.contains("sk-old-client-0123456789-dead"), shown);
    assertFalse(shown.contains("sk-live-9876543210-beef"), shown);
    assertFalse(shown.contains("sk-live-1111222233334444"), shown);
    assertTrue(shown.contains("#  - \"sk-o...dead\"\n"), shown);
    assertTrue(shown.contains("# - key: \"team...cafe\"   # left the company\n"), shown);
    assertTrue(shown.contains("# - api-key: sk-l...beef   # the old account\n"), shown);
    assertTrue(shown.contains("# api-key: sk-l...4444\n"), shown);
    assertTrue(shown.contains("- api-key: \"sk-a...b780\"\n"), shown);
    assertTrue(shown.contains("# api-keys: the client keys, one a line\n"), shown);
  }

  @Test
  void putOfTheMaskedTextLeavesTheFileByteForByte() throws IOException {
    String shown = (String) resource.get(false, null).getEntity();

    resource.put(shown);

    assertEquals(CONFIG, Files.readString(file));
  }

  @Test
  void aMaskedCommentTheClientChangedIsWrittenAsSent() throws IOException {
    String shown = (String) resource.get(false, null).getEntity();

    resource.put(shown.replace("# api-key: sk-l...4444", "# api-key: sk-l...4444 (revoked)"));

    String written = Files.readString(file);
    assertTrue(written.contains("# api-key: sk-l...4444 (revoked)\n"), written);
    assertTrue(written.contains("#  - \"sk-old-client-0123456789-dead\"\n"), written);
  }
}
