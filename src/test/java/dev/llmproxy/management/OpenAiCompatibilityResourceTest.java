package dev.llmproxy.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiCompatibilityResourceTest {
  private static final String CONFIG = """
      api-keys: ["client-key-0001-aaaa"]
      openai-compatibility:
        - name: alpha
          base-url: "http://127.0.0.1:9/v1"
        - name: beta
          base-url: "http://127.0.0.1:9/v2"
      """;

  @TempDir
  Path dir;
  Path file;
  final ConfigStoreTest.RecordingInstaller installer = new ConfigStoreTest.RecordingInstaller();
  OpenAiCompatibilityResource resource;

  @BeforeEach
  void writeConfig() throws IOException {
    file = Files.writeString(dir.resolve("config.yaml"), CONFIG);
    resource = new OpenAiCompatibilityResource(new ConfigStore(file, new ConfigLoader(Map.<String, String>of()::get),
        installer));
  }

  @Test
  void deletingANameNoProviderHasIs404AndWritesNothing() throws IOException {
    ManagementException e = assertThrows(ManagementException.class, () -> resource.delete("nope", null));

    assertEquals(404, e.status());
    assertEquals("item not found", e.error());
    assertEquals("no provider named 'nope'", e.detail());
    assertEquals(CONFIG, Files.readString(file));
    assertTrue(installer.installed.isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "{\"items\":[]}"})
  void puttingAnEmptyListInEitherFormIs422AndWritesNothing(String body) throws IOException {
    ManagementException e = assertThrows(ManagementException.class, () -> resource.replace(body));

    assertEquals(422, e.status());
    assertEquals("unsafe_change", e.error());
    assertTrue(e.detail().startsWith("an empty list would remove every provider at once"), e.detail());
    assertEquals(CONFIG, Files.readString(file));
    assertTrue(installer.installed.isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[{\"name\":\"gamma\",\"base-url\":\"http://127.0.0.1:9/v3\"}]",
      "{\"items\":[{\"name\":\"gamma\",\"base-url\":\"http://127.0.0.1:9/v3\"}]}"})
  void puttingAListInEitherFormReplacesTheProviders(String body) {
    assertEquals(Ok.BODY, resource.replace(body));

    assertEquals(1, installer.installed.get(0).providers().size());
    assertEquals("gamma", installer.installed.get(0).providers().get(0).name());
  }

  @Test
  void patchingAnAuthorizationHeaderOntoAProviderWithKeysIs422NamingItsPath() throws IOException {
    resource.patch("{\"name\":\"alpha\",\"value\":{\"api-key-entries\":[{\"api-key\":\"sk-alpha-0123456789\"}]}}");
    String before = Files.readString(file);

    ManagementException e = assertThrows(ManagementException.class, () -> resource.patch(
        "{\"name\":\"alpha\",\"value\":{\"headers\":{\"AUTHORIZATION\":\"Bearer sk-other-0123456789\"}}}"));

    assertEquals(422, e.status());
    assertEquals("invalid_config", e.error());
    assertTrue(e.problems().get(0).startsWith("openai-compatibility[0].headers.AUTHORIZATION: would replace the "
        + "api-key"), e.problems().toString());
    assertEquals(before, Files.readString(file));
  }

  @Test
  void deletingByNameRemovesThatProvider() {
    assertEquals(Ok.BODY, resource.delete(" beta ", null));

    assertEquals(1, installer.installed.get(0).providers().size());
    assertEquals("alpha", installer.installed.get(0).providers().get(0).name());
  }

  /** Two entries that are one provider node: its anchor and an alias of it. */
  private static final String ANCHORED_PROVIDER = """
      api-keys: ["client-key-0001-aaaa"]
      openai-compatibility:
        - &shared
          name: alpha
          base-url: "http://127.0.0.1:9/v1"
        - *shared
      """;

  @Test
  void patchingAProviderSharedThroughAnAnchorIs409AndLeavesTheFileAlone() throws IOException {
    String anchored = ANCHORED_PROVIDER;
    Files.writeString(file, anchored);

    ManagementException e = assertThrows(ManagementException.class,
        () -> resource.patch("{\"index\":0,\"value\":{\"base-url\":\"http://127.0.0.1:9/v3\"}}"));

    assertEquals(409, e.status());
    assertEquals("shared_yaml_anchor", e.error());
    assertTrue(e.detail().startsWith("openai-compatibility[0] is shared through the YAML anchor &shared"), e.detail());
    assertTrue(e.detail().endsWith("edit config.yaml by hand"), e.detail());
    assertEquals(anchored, Files.readString(file));
    assertTrue(installer.installed.isEmpty());
  }

  @Test
  void patchingTheAliasOfAnAnchoredProviderIs409Too() throws IOException {
    String anchored = ANCHORED_PROVIDER;
    Files.writeString(file, anchored);

    ManagementException e = assertThrows(ManagementException.class,
        () -> resource.patch("{\"index\":1,\"value\":{\"name\":\"gamma\"}}"));

    assertEquals(409, e.status());
    assertEquals(anchored, Files.readString(file));
  }

  @Test
  void anAnchorElsewhereDoesNotStopEditsOfOtherProviders() throws IOException {
    Files.writeString(file, """
        api-keys: ["client-key-0001-aaaa"]
        openai-compatibility:
          - name: alpha
            base-url: "http://127.0.0.1:9/v1"
            models: &models
              - name: m1
          - name: beta
            base-url: "http://127.0.0.1:9/v2"
            models: *models
          - name: gamma
            base-url: "http://127.0.0.1:9/v3"
        """);

    resource.patch("{\"name\":\"gamma\",\"value\":{\"base-url\":\"http://127.0.0.1:9/v4\"}}");

    assertEquals("http://127.0.0.1:9/v4", installer.installed.get(0).providers().get(2).baseUrl());
    assertTrue(Files.readString(file).contains("models: *models"));
  }
}
