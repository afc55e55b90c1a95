package dev.llmproxy.it.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.YamlComments;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every management route with its statuses and bodies, against the real WAR and its config file. */
class ManagementRoutesIT {
  static final String CLIENT_KEY = "client-key-0001-aaaa";
  static final String CONFIG = """
      # Gateway config kept by hand. Every comment here must survive management writes.

      # Client keys
      api-keys:
        - "client-key-0001-aaaa"   # laptop
        - "client-key-0002-bbbb"   # CI

      request-retry: 2      # extra rounds

      usage:
        store: memory       # a gateway starts per test: no embedded database to open each time

      remote-management:
        secret-key: "mgmt-secret-for-tests-42"

      # Providers
      openai-compatibility:
        - name: "alpha"                        # first provider
          base-url: "http://127.0.0.1:9/v1"
          api-key-entries:
            - api-key: "sk-alpha-0123456789-b780"   # primary key
            - api-key: "${HOME}"                     # from the environment
          models:
            - name: "upstream-a"
              alias: "model-a"   # what clients ask for

        # The second provider is a fallback.
        - name: "beta"
          base-url: "http://127.0.0.1:9/v2"
          api-key-entries:
            - api-key: "sk-beta-abcdefghij-c999"
          models:
            - name: "upstream-b"
              alias: "model-b"
      # end of file
      """;

  @TempDir
  Path dir;
  GatewayServer gateway;
  ManagementClient client;
  /** The file once the gateway started: CONFIG with the management secret replaced by its hash. */
  String original;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("config.yaml"), CONFIG);
    gateway = GatewayServer.builder().configDirectory(dir).build().start();
    client = new ManagementClient(gateway, ManagementAuthIT.SECRET);
    original = file();
    assertEquals(CONFIG.replace("\"mgmt-secret-for-tests-42\"", original.substring(original.indexOf("\"$2a$"),
        original.indexOf("\"$2a$") + 62)), original, "only the secret changed at startup");
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  String file() throws Exception {
    return Files.readString(dir.resolve("config.yaml"));
  }

  List<String> modelIds() {
    ManagementClient.Reply reply = ManagementClient.exchange(HttpRequest.newBuilder(gateway.uri("/v1/models"))
        .header("Authorization", "Bearer " + CLIENT_KEY).build());
    assertEquals(200, reply.status(), reply.body());
    List<String> ids = new ArrayList<>();
    reply.json().get("data").forEach(m -> ids.add(m.get("id").asText()));
    return ids;
  }

  static void assertOk(ManagementClient.Reply reply) {
    assertEquals(200, reply.status(), reply.body());
    assertEquals("{\"status\":\"ok\"}", reply.body());
  }

  static void assertError(ManagementClient.Reply reply, int status, String error) {
    assertEquals(status, reply.status(), reply.body());
    assertEquals(error, reply.json().get("error").asText(), reply.body());
  }

  @Nested
  class OpenAiCompatibility {
    @Test
    void getListsProvidersWithMaskedKeysEnvReferencesAndDisabledFlag() {
      JsonNode list = client.get("openai-compatibility").json().get("openai-compatibility");

      assertEquals(2, list.size());
      JsonNode alpha = list.get(0);
      assertEquals("alpha", alpha.get("name").asText());
      assertFalse(alpha.get("disabled").asBoolean());
      assertEquals("http://127.0.0.1:9/v1", alpha.get("base-url").asText());
      assertEquals("sk-a...b780", alpha.get("api-key-entries").get(0).get("api-key").asText());
      assertEquals("${HOME}", alpha.get("api-key-entries").get(1).get("api-key").asText());
      assertEquals("model-a", alpha.get("models").get(0).get("alias").asText());
    }

    @Test
    void revealShowsKeysInClear() {
      JsonNode list = client.get("openai-compatibility?reveal=true").json().get("openai-compatibility");

      assertEquals("sk-alpha-0123456789-b780", list.get(0).get("api-key-entries").get(0).get("api-key").asText());
    }

    @Test
    void revealKeyAnswersOneKeyInClearAndNeedsJson() {
      ManagementClient.Reply reply = client.send("POST", "openai-compatibility/reveal-key",
          "{\"name\":\"beta\",\"key-index\":0}", "Content-Type", "application/json");

      assertEquals(200, reply.status(), reply.body());
      assertEquals("{\"api-key\":\"sk-beta-abcdefghij-c999\"}", reply.body());
      assertEquals("{\"api-key\":\"sk-alpha-0123456789-b780\"}", client.send("POST",
          "openai-compatibility/reveal-key", "{\"index\":0,\"key-index\":0}", "Content-Type", "application/json")
          .body());
      assertError(client.send("POST", "openai-compatibility/reveal-key", "{\"name\":\"beta\",\"key-index\":1}",
          "Content-Type", "application/json"), 404, "item not found");
      assertError(client.send("POST", "openai-compatibility/reveal-key", "{\"name\":\"beta\"}",
          "Content-Type", "application/json"), 400, "invalid body");
      // A cross-site HTML form can post text/plain without a preflight, never JSON.
      assertEquals(415, client.send("POST", "openai-compatibility/reveal-key", "{\"name\":\"beta\",\"key-index\":0}",
          "Content-Type", "text/plain").status());
    }

    @Test
    void getThenPutOfTheSameBodyLeavesTheFileByteForByte() throws Exception {
      String body = client.get("openai-compatibility").json().get("openai-compatibility").toString();

      assertOk(client.send("PUT", "openai-compatibility", body));

      assertEquals(original, file());
    }

    @Test
    void putReplacesTheListAppliesItLiveAndKeepsOtherComments() throws Exception {
      String body = "[{\"name\":\"gamma\",\"base-url\":\"http://127.0.0.1:9/v3\",\"models\":[{\"name\":\"up-g\",\"alias\":\"model-g\"}]}]";

      assertOk(client.send("PUT", "openai-compatibility", body));

      assertEquals(List.of("model-g"), modelIds());
      String file = file();
      assertTrue(file.contains("# Client keys"), file);
      assertTrue(file.contains("\"client-key-0001-aaaa\"   # laptop"), file);
      assertFalse(file.contains("alpha"), file);
    }

    @Test
    void putAcceptsTheItemsWrapper() {
      String body = "{\"items\":[{\"name\":\"gamma\",\"base-url\":\"http://127.0.0.1:9/v3\"}]}";

      assertOk(client.send("PUT", "openai-compatibility", body));

      assertEquals("gamma", client.get("openai-compatibility").json().get("openai-compatibility").get(0).get("name").asText());
    }

    @Test
    void putOfAnEmptyListInEitherFormIs422AndNonJsonIs400() throws Exception {
      assertError(client.send("PUT", "openai-compatibility", "{\"items\":[]}"), 422, "unsafe_change");
      assertError(client.send("PUT", "openai-compatibility", "[]"), 422, "unsafe_change");
      assertError(client.send("PUT", "openai-compatibility", "not json"), 400, "invalid body");
      assertEquals(original, file());
      assertEquals(List.of("model-a", "model-b"), modelIds());
    }

    @Test
    void putOfAnInvalidProviderIs422NamingTheYamlPathAndChangesNothing() throws Exception {
      ManagementClient.Reply reply = client.send("PUT", "openai-compatibility",
          "[{\"name\":\"gamma\",\"base-url\":\"ftp://nowhere\"}]");

      assertError(reply, 422, "invalid_config");
      assertEquals("openai-compatibility[0].base-url: 'ftp://nowhere' must start with http:// or https://",
          reply.json().get("problems").get(0).asText());
      assertEquals(original, file());
      assertEquals(List.of("model-a", "model-b"), modelIds());
    }

    @Test
    void patchByNameChangesOneFieldLiveAndKeepsTheRest() throws Exception {
      assertOk(client.send("PATCH", "openai-compatibility", "{\"name\":\"alpha\",\"value\":{\"prefix\":\"a\"}}"));

      assertTrue(modelIds().contains("a/model-a"), modelIds().toString());
      String file = file();
      assertTrue(file.contains("prefix: a"), file);
      assertEquals(original.replace("        alias: \"model-a\"   # what clients ask for\n",
          "        alias: \"model-a\"   # what clients ask for\n    prefix: a\n"), file);
    }

    @Test
    void patchByIndexReplacesListsWhole() {
      assertOk(client.send("PATCH", "openai-compatibility",
          "{\"index\":1,\"value\":{\"models\":[{\"name\":\"upstream-c\",\"alias\":\"model-c\"}]}}"));

      assertEquals(List.of("model-a", "model-c"), modelIds());
    }

    @Test
    void patchWithMaskedKeyKeepsTheStoredKey() throws Exception {
      assertOk(client.send("PATCH", "openai-compatibility",
          "{\"name\":\"alpha\",\"value\":{\"api-key-entries\":[{\"api-key\":\"sk-a...b780\",\"weight\":3},{\"api-key\":\"${HOME}\"}]}}"));

      String file = file();
      assertTrue(file.contains("sk-alpha-0123456789-b780"), file);
      assertTrue(file.contains("weight: 3"), file);
      assertTrue(file.contains("\"${HOME}\""), file);
    }

    @Test
    void patchNullRemovesAField() throws Exception {
      client.send("PATCH", "openai-compatibility", "{\"name\":\"beta\",\"value\":{\"disable-cooling\":true}}");
      assertTrue(file().contains("disable-cooling: true"));

      assertOk(client.send("PATCH", "openai-compatibility", "{\"name\":\"beta\",\"value\":{\"disable-cooling\":null}}"));

      assertFalse(file().contains("disable-cooling"));
    }

    @Test
    void patchOfAnUnknownProviderIs404ItemNotFound() {
      ManagementClient.Reply reply = client.send("PATCH", "openai-compatibility", "{\"name\":\"zeta\",\"value\":{\"prefix\":\"z\"}}");

      assertEquals(404, reply.status());
      assertEquals("{\"error\":\"item not found\"}", reply.body());
    }

    @Test
    void patchWithoutValueIs400() {
      assertError(client.send("PATCH", "openai-compatibility", "{\"name\":\"alpha\"}"), 400, "invalid body");
    }

    @Test
    void patchThatBreaksValidationIs422AndChangesNothing() throws Exception {
      ManagementClient.Reply reply = client.send("PATCH", "openai-compatibility",
          "{\"name\":\"alpha\",\"value\":{\"api-key-entries\":[{\"api-key\":\"k\",\"weight\":-1}],\"colour\":\"red\"}}");

      assertError(reply, 422, "invalid_config");
      String problems = reply.json().get("problems").toString();
      assertTrue(problems.contains("openai-compatibility[0].api-key-entries[0].weight: -1 is out of range"), problems);
      assertTrue(problems.contains("openai-compatibility[0].colour: unknown key"), problems);
      assertEquals(original, file());
    }

    @Test
    void patchOfErrorRulesIsValidatedAndAppliedLive() throws Exception {
      ManagementClient.Reply bad = client.send("PATCH", "openai-compatibility", "{\"name\":\"alpha\",\"value\":"
          + "{\"request-scoped-errors\":[{\"status\":400,\"match-regexr\":[\"(unclosed\"],\"action\":\"continue\"}]}}");
      assertError(bad, 422, "invalid_config");
      assertTrue(bad.json().get("problems").toString().contains(
          "openai-compatibility[0].request-scoped-errors[0].match-regexr[0]: '(unclosed' is not a valid regular expression"),
          bad.body());
      assertEquals(original, file());

      assertOk(client.send("PATCH", "openai-compatibility", "{\"name\":\"alpha\",\"value\":"
          + "{\"priority\":5,\"request-scoped-errors\":[{\"status\":400,\"match\":[\"busy\"],\"action\":\"continue\"}]}}"));
      String written = file();
      assertTrue(written.contains("priority: 5") && written.contains("action: continue"), written);
      JsonNode alpha = client.get("openai-compatibility").json().get("openai-compatibility").get(0);
      assertEquals(5, alpha.get("priority").asInt());
      assertEquals("continue", alpha.at("/request-scoped-errors/0/action").asText());
    }

    @Test
    void patchWithEmptyBaseUrlDeletesTheEntry() {
      assertOk(client.send("PATCH", "openai-compatibility", "{\"name\":\"alpha\",\"value\":{\"base-url\":\"\"}}"));

      assertEquals(List.of("model-b"), modelIds());
    }

    @Test
    void deleteByNameOrIndexRemovesTheEntry() throws Exception {
      assertOk(client.send("DELETE", "openai-compatibility?name=beta", null));
      assertEquals(List.of("model-a"), modelIds());

      assertOk(client.send("DELETE", "openai-compatibility?index=0", null));
      assertEquals(List.of(), modelIds());
      assertTrue(file().contains("# Client keys"));
    }

    @Test
    void deleteWithoutNameOrIndexIs400AndAnUnknownNameOrOutOfRangeIs404() throws Exception {
      ManagementClient.Reply missing = client.send("DELETE", "openai-compatibility", null);
      assertEquals(400, missing.status());
      assertEquals("{\"error\":\"missing name or index\"}", missing.body());

      assertError(client.send("DELETE", "openai-compatibility?index=7", null), 404, "item not found");
      ManagementClient.Reply unknown = client.send("DELETE", "openai-compatibility?name=nope", null);
      assertEquals(404, unknown.status(), unknown.body());
      assertEquals("{\"error\":\"item not found\",\"message\":\"no provider named 'nope'\"}", unknown.body());
      assertEquals(original, file());
    }
  }

  @Nested
  class ApiKeys {
    @Test
    void getMasksClientKeys() {
      ManagementClient.Reply reply = client.get("api-keys");

      assertEquals("{\"api-keys\":[\"clie...aaaa\",\"clie...bbbb\"]}", reply.body());
    }

    @Test
    void putReplacesTheKeysLive() {
      assertOk(client.send("PUT", "api-keys", "[\"client-key-new-9999\"]"));

      ManagementClient.Reply old = ManagementClient.exchange(HttpRequest.newBuilder(gateway.uri("/v1/models"))
          .header("Authorization", "Bearer " + CLIENT_KEY).build());
      ManagementClient.Reply fresh = ManagementClient.exchange(HttpRequest.newBuilder(gateway.uri("/v1/models"))
          .header("Authorization", "Bearer client-key-new-9999").build());
      assertEquals(401, old.status());
      assertEquals(200, fresh.status());
    }

    @Test
    void putOfNonStringsIs400() {
      assertError(client.send("PUT", "api-keys", "[1,2]"), 400, "invalid body");
    }

    @Test
    void patchAppendsReplacesByIndexAndByMaskedOldValue() throws Exception {
      assertOk(client.send("PATCH", "api-keys", "{\"new\":\"client-key-0003-cccc\"}"));
      assertOk(client.send("PATCH", "api-keys", "{\"index\":0,\"value\":\"client-key-0004-dddd\"}"));
      assertOk(client.send("PATCH", "api-keys", "{\"old\":\"clie...bbbb\",\"new\":\"client-key-0005-eeee\"}"));

      ManagementClient.Reply reply = client.get("api-keys?reveal=true");
      assertEquals("{\"api-keys\":[\"client-key-0004-dddd\",\"client-key-0005-eeee\",\"client-key-0003-cccc\"]}",
          reply.body());
      assertTrue(file().contains("# Client keys"));
    }

    @Test
    void patchOfAnUnknownOldKeyIs404AndMalformedIs400() {
      assertError(client.send("PATCH", "api-keys", "{\"old\":\"nope\",\"new\":\"x\"}"), 404, "item not found");
      assertError(client.send("PATCH", "api-keys", "{\"index\":9,\"value\":\"x\"}"), 404, "item not found");
      assertError(client.send("PATCH", "api-keys", "{\"value\":\"x\"}"), 400, "invalid body");
    }

    @Test
    void deleteByMaskedValueOrIndex() {
      assertOk(client.send("PATCH", "api-keys", "{\"new\":\"client-key-0003-cccc\"}"));

      assertOk(client.send("DELETE", "api-keys?value=clie...aaaa", null));
      assertOk(client.send("DELETE", "api-keys?index=0", null));

      assertEquals("{\"api-keys\":[\"clie...cccc\"]}", client.get("api-keys").body());
    }

    @Test
    void deleteWithoutIndexOrValueIs400() {
      ManagementClient.Reply reply = client.send("DELETE", "api-keys", null);

      assertEquals(400, reply.status());
      assertEquals("{\"error\":\"missing index or value\"}", reply.body());
    }

    @Test
    void deleteWithAnIndexThatIsNotANumberIs400SayingSo() throws Exception {
      ManagementClient.Reply reply = client.send("DELETE", "api-keys?index=abc", null);

      assertEquals(400, reply.status());
      assertEquals("{\"error\":\"invalid parameter\",\"message\":\"index must be a number of 0 or more, not "
          + "'abc'\"}", reply.body());
      assertEquals(original, file());
    }
  }

  @Nested
  class Settings {
    @Test
    void getShowsTheFileValueOrTheDefault() {
      assertEquals("{\"request-retry\":2}", client.get("request-retry").body());
      assertEquals("{\"debug\":false}", client.get("debug").body());
      assertEquals("{\"proxy-url\":\"\"}", client.get("proxy-url").body());
      assertEquals("{\"max-retry-credentials\":0}", client.get("max-retry-credentials").body());
      assertEquals("{\"max-retry-interval\":0}", client.get("max-retry-interval").body());
      assertEquals("{\"force-model-prefix\":false}", client.get("force-model-prefix").body());
      assertEquals("{\"strategy\":\"round-robin\"}", client.get("routing/strategy").body());
    }

    @Test
    void putAndPatchWriteTheValueAndKeepTheComment() throws Exception {
      assertOk(client.send("PUT", "request-retry", "{\"value\":5}"));
      assertOk(client.send("PATCH", "debug", "{\"value\":true}"));
      assertOk(client.send("PUT", "max-retry-interval", "{\"value\":\"30s\"}"));
      assertOk(client.send("PUT", "max-retry-credentials", "{\"value\":1}"));
      assertOk(client.send("PUT", "force-model-prefix", "{\"value\":true}"));
      assertOk(client.send("PUT", "routing/strategy", "{\"value\":\"fill-first\"}"));

      assertEquals("{\"request-retry\":5}", client.get("request-retry").body());
      assertEquals("{\"debug\":true}", client.get("debug").body());
      assertEquals("{\"strategy\":\"fill-first\"}", client.get("routing/strategy").body());
      String file = file();
      assertTrue(file.contains("request-retry: 5      # extra rounds"), file);
      assertTrue(file.contains("routing:\n  strategy: fill-first"), file);
    }

    @Test
    void proxyUrlPasswordIsMaskedAndDeleteClearsIt() {
      assertOk(client.send("PUT", "proxy-url", "{\"value\":\"http://user:proxy-password-1@127.0.0.1:3128\"}"));
      assertEquals("{\"proxy-url\":\"http://user:...@127.0.0.1:3128\"}", client.get("proxy-url").body());

      assertOk(client.send("DELETE", "proxy-url", null));
      assertEquals("{\"proxy-url\":\"\"}", client.get("proxy-url").body());
    }

    @Test
    void wrongJsonTypeIs400InvalidBody() {
      assertError(client.send("PUT", "request-retry", "{\"value\":\"many\"}"), 400, "invalid body");
      assertError(client.send("PUT", "debug", "{}"), 400, "invalid body");
    }

    @Test
    void valueTheLoaderRejectsIs422NamingItsPath() throws Exception {
      ManagementClient.Reply retry = client.send("PUT", "request-retry", "{\"value\":-1}");
      ManagementClient.Reply strategy = client.send("PUT", "routing/strategy", "{\"value\":\"bogus\"}");

      assertError(retry, 422, "invalid_config");
      assertEquals("request-retry: -1 is out of range; expected 0 to 100", retry.json().get("problems").get(0).asText());
      assertError(strategy, 422, "invalid_config");
      assertTrue(strategy.json().get("problems").get(0).asText().startsWith("routing.strategy: unknown value 'bogus'"));
      assertEquals(original, file());
    }

    @Test
    void deletingANonDeletableSettingIs405() {
      assertEquals(405, client.send("DELETE", "debug", null).status());
    }
  }

  @Nested
  class WholeConfig {
    @Test
    void getIsTheFileAsJsonWithDefaultsAndSecretsMasked() {
      ManagementClient.Reply reply = client.get("config");
      assertEquals(200, reply.status(), reply.body());
      JsonNode config = reply.json();
      assertEquals(2, config.get("request-retry").asInt(), "the file's value");
      assertFalse(config.get("debug").asBoolean(), "a default the file leaves out");
      assertEquals("round-robin", config.get("routing").get("strategy").asText());
      assertEquals("client-key-0001-aaaa".substring(0, 4) + "...aaaa", config.get("api-keys").get(0).asText());
      JsonNode alpha = config.get("openai-compatibility").get(0);
      assertEquals("sk-a...b780", alpha.get("api-key-entries").get(0).get("api-key").asText());
      assertEquals("${HOME}", alpha.get("api-key-entries").get(1).get("api-key").asText(), "a reference, not a secret");
      assertFalse(config.has("remote-management"), "the management secret's section is left out");
      assertFalse(reply.body().contains("sk-alpha-0123456789-b780"), reply.body());
    }

    @Test
    void revealShowsSecretsAndWritesGoElsewhere() {
      ManagementClient.Reply reply = client.get("config?reveal=true");
      assertTrue(reply.body().contains("sk-alpha-0123456789-b780"), reply.body());
      assertEquals(405, client.send("PUT", "config", "{}").status(), "read-only");
    }
  }

  @Nested
  class ConfigYaml {
    @Test
    void getReturnsTheFileWithSecretsMasked() {
      ManagementClient.Reply reply = client.get("config.yaml");

      assertEquals(200, reply.status());
      assertEquals("application/yaml;charset=utf-8",
          reply.raw().headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase());
      assertEquals("no-store", reply.raw().headers().firstValue("Cache-Control").orElse(""));
      assertTrue(reply.body().startsWith("# Gateway config kept by hand."), reply.body());
      assertTrue(reply.body().contains("- api-key: \"sk-a...b780\"   # primary key"), reply.body());
      assertFalse(reply.body().contains("sk-alpha-0123456789-b780"));
      assertFalse(reply.body().contains(original.substring(original.indexOf("$2a$"), original.indexOf("$2a$") + 60)),
          "not even the secret's hash is shown");
    }

    @Test
    void getThenPutOfTheMaskedFileLeavesItByteForByte() throws Exception {
      String before = file();

      ManagementClient.Reply put = client.send("PUT", "config.yaml", client.get("config.yaml").body());

      assertEquals(200, put.status(), put.body());
      assertEquals(before, file());
    }

    @Test
    void putReplacesTheFileVerbatimAndAppliesIt() throws Exception {
      String text = client.get("config.yaml?reveal=true").body().replace("alias: \"model-b\"", "alias: \"model-z\"")
          + "# appended by a script\n";

      ManagementClient.Reply reply = client.send("PUT", "config.yaml", text);

      assertEquals(200, reply.status());
      assertEquals(true, reply.json().get("ok").asBoolean());
      assertEquals("[\"config\"]", reply.json().get("changed").toString());
      assertEquals(text, file());
      assertEquals(List.of("model-a", "model-z"), modelIds());
      assertEquals(original, Files.readString(dir.resolve("config.yaml.bak")));
    }

    @Test
    void putOfUnparsableYamlIs400InvalidYaml() throws Exception {
      ManagementClient.Reply reply = client.send("PUT", "config.yaml", "api-keys: [unclosed\n");

      assertError(reply, 400, "invalid_yaml");
      assertTrue(reply.json().get("message").asText().contains("line"), reply.body());
      assertEquals(original, file());
    }

    @Test
    void putOfAnInvalidConfigIs422InvalidConfigWithEveryProblem() throws Exception {
      ManagementClient.Reply reply = client.send("PUT", "config.yaml", "request-retry: -3\ndebugg: true\n");

      assertError(reply, 422, "invalid_config");
      assertEquals("[\"request-retry: -3 is out of range; expected 0 to 100\",\"debugg: unknown key; did you mean 'debug'?\"]",
          reply.json().get("problems").toString());
      assertEquals(original, file());
    }
  }

  /** Writes that would leave the gateway open, or management off with no way back through the API. */
  @Nested
  class Safeguards {
    int statusWithoutClientKey() {
      return ManagementClient.exchange(HttpRequest.newBuilder(gateway.uri("/v1/models")).build()).status();
    }

    @Test
    void putOfAnEmptyOrCommentOnlyConfigYamlIs422AndChangesNothing() throws Exception {
      for (String body : List.of("", "# every setting removed\n")) {
        ManagementClient.Reply reply = client.send("PUT", "config.yaml", body);

        assertError(reply, 422, "empty_config");
        assertTrue(reply.json().get("message").asText().contains("edit it by hand"), reply.body());
      }
      assertEquals(original, file());
      assertEquals(200, client.get("debug").status(), "management is still on");
      assertEquals(401, statusWithoutClientKey());
    }

    @Test
    void putOfAConfigYamlWithoutTheManagementSecretIs422AndManagementStaysOn() throws Exception {
      String withoutSecret = CONFIG.replace("remote-management:\n  secret-key: \"mgmt-secret-for-tests-42\"\n", "");

      ManagementClient.Reply reply = client.send("PUT", "config.yaml", withoutSecret);

      assertError(reply, 422, "unsafe_change");
      assertTrue(reply.json().get("problems").get(0).asText().startsWith("remote-management.secret-key: the change "
          + "leaves it empty"), reply.body());
      assertTrue(reply.json().get("message").asText().contains("edit config.yaml by hand"), reply.body());
      assertEquals(original, file());
      assertEquals(200, client.get("debug").status());
    }

    @Test
    void deletingTheLastClientKeyIs422AndKeysAreStillChecked() throws Exception {
      assertOk(client.send("DELETE", "api-keys?index=0", null));
      String oneKeyLeft = file();

      ManagementClient.Reply reply = client.send("DELETE", "api-keys?index=0", null);

      assertError(reply, 422, "unsafe_change");
      assertTrue(reply.json().get("problems").get(0).asText().startsWith("api-keys: the change leaves no client "
          + "key"), reply.body());
      assertEquals(oneKeyLeft, file());
      assertEquals(401, statusWithoutClientKey());
    }
  }

  @Test
  void unknownManagementRouteIs404WithFlatBody() {
    ManagementClient.Reply reply = client.get("no-such-thing");

    assertEquals(404, reply.status());
    assertEquals("{\"error\":\"not found\"}", reply.body());
  }

  @Test
  void aConfigFileMadeReadOnlyIs503ConfigReadOnlyAndStaysAsItIs() throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));

    ManagementClient.Reply reply = client.send("PUT", "debug", "{\"value\":true}");

    assertError(reply, 503, "config_read_only");
    assertTrue(reply.json().get("message").asText().contains("chmod u+w"), reply.body());
    assertEquals(original, file());
    assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("{\"debug\":false}", client.get("debug").body());
  }

  @Test
  void aSaveKeepsTheFilesMode() throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

    assertOk(client.send("PUT", "debug", "{\"value\":true}"));

    assertTrue(file().contains("debug: true"));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void everyWriteKeepsThePreviousFileAsBak() throws Exception {
    assertOk(client.send("PUT", "debug", "{\"value\":true}"));

    String bak = Files.readString(dir.resolve("config.yaml.bak"));
    assertFalse(bak.contains("debug: true"));
    assertTrue(file().contains("debug: true"));
  }
}
