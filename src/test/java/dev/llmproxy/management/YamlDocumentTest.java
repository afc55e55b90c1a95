package dev.llmproxy.management;

import dev.llmproxy.testing.YamlComments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlDocumentTest {

  static String fixture(String name) throws IOException {
    try (InputStream in = YamlDocumentTest.class.getResourceAsStream("/management/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> root(YamlDocument doc) {
    return (Map<String, Object>) YamlDocument.copy(doc.toPlain());
  }

  @Test
  void unchangedContentRendersTheOriginalTextByteForByte() throws IOException {
    String text = fixture("commented-config.yaml");
    YamlDocument doc = YamlDocument.parse(text);
    assertEquals(text, doc.render(root(doc)));
  }

  @Test
  @SuppressWarnings("unchecked")
  void changingOneScalarKeepsEveryCommentEnvReferenceAndQuoteStyle() throws IOException {
    String text = fixture("commented-config.yaml");
    YamlDocument doc = YamlDocument.parse(text);
    Map<String, Object> root = root(doc);
    root.put("request-retry", 5);
    ((List<Object>) root.get("api-keys")).add("client-key-new");

    String out = doc.render(root);

    assertEquals(YamlComments.of(text), YamlComments.of(out), out);
    assertTrue(out.contains("- \"${CLIENT_KEY_CI}\""), out);
    assertTrue(out.contains("api-key: \"${ALPHA_BACKUP_KEY}\""), out);
    assertTrue(out.contains("request-retry: 5      # extra rounds"), out);
    assertTrue(out.contains("  - \"${CLIENT_KEY_CI}\"       # CI runner, from the environment"), out);
    assertTrue(out.contains("  - name: \"alpha\""), out);
    assertEquals(5, ((Map<String, Object>) YamlDocument.plainOf(out)).get("request-retry"));
  }

  @Test
  void aWindowsFileStaysAWindowsFileWithItsByteOrderMarkAndDocumentStart() {
    String text = "\uFEFF%YAML 1.1\r\n---\r\n# team gateway\r\ndebug: false\r\nrequest-retry: 1   # first\r\n";
    YamlDocument doc = YamlDocument.parse(text);
    Map<String, Object> root = root(doc);
    root.put("debug", true);

    String rendered = doc.render(root);

    assertEquals("\uFEFF%YAML 1.1\r\n---\r\n# team gateway\r\ndebug: true\r\nrequest-retry: 1   # first\r\n", rendered);
  }

  @Test
  void changingOneValueChangesOnlyItsLine() throws IOException {
    String text = fixture("commented-config.yaml");
    YamlDocument doc = YamlDocument.parse(text);
    Map<String, Object> root = root(doc);
    root.put("request-retry", 5);

    String out = doc.render(root);

    assertEquals(text.replace("request-retry: 2      # extra rounds", "request-retry: 5      # extra rounds"), out);
  }

  @Test
  @SuppressWarnings("unchecked")
  void deletingTheFirstProviderKeepsTheCommentsOfTheSecond() throws IOException {
    String text = fixture("commented-config.yaml");
    YamlDocument doc = YamlDocument.parse(text);
    Map<String, Object> root = root(doc);
    ((List<Object>) root.get("openai-compatibility")).remove(0);
    ((Map<String, Object>) ((List<Object>) root.get("openai-compatibility")).get(0)).put("prefix", "b");

    String out = doc.render(root);

    assertTrue(out.contains("\n  # The second provider is a fallback.\n  - name: \"beta\""), out);
    assertFalse(out.contains("alpha"), out);
    assertTrue(out.contains("# end of file"), out);
  }

  @Test
  @SuppressWarnings("unchecked")
  void keepsFourSpaceIndentationOfGoStyleFiles() {
    String text = "api-keys:\n    - a\nopenai-compatibility:\n    - name: x # one\n      base-url: http://h/v1\n";
    YamlDocument doc = YamlDocument.parse(text);
    Map<String, Object> root = root(doc);
    ((List<Object>) root.get("api-keys")).add("b");
    Map<String, Object> added = new java.util.LinkedHashMap<>();
    added.put("name", "y");
    added.put("base-url", "http://h/v2");
    ((List<Object>) root.get("openai-compatibility")).add(added);

    String out = doc.render(root);

    assertTrue(out.startsWith("api-keys:\n    - a\n    - b\n"), out);
    assertTrue(out.contains("    - name: y\n      base-url: http://h/v2"), out);
  }

  @Test
  @SuppressWarnings("unchecked")
  void keepsUnindentedSequences() {
    String text = "api-keys:\n- a\nrouting:\n  strategy: fill-first\n";
    YamlDocument doc = YamlDocument.parse(text);
    Map<String, Object> root = root(doc);
    ((List<Object>) root.get("api-keys")).add("b");

    assertEquals("api-keys:\n- a\n- b\nrouting:\n  strategy: fill-first\n", doc.render(root));
  }

  @Test
  void commentOnlyFileKeepsItsCommentsAndGainsTheContent() {
    String text = "# nothing configured yet\n";
    YamlDocument doc = YamlDocument.parse(text);

    String out = doc.render(Map.of("api-keys", List.of("k1")));

    assertTrue(out.startsWith("# nothing configured yet\n"), out);
    assertEquals(Map.of("api-keys", List.of("k1")), YamlDocument.plainOf(out));
  }

  @Test
  @SuppressWarnings("unchecked")
  void appendingARowKeepsThePreviousRowsTrailingCommentsWithThatRow() {
    String text = """
        openai-compatibility:
          - name: "p"
            base-url: "http://h/v1"
            api-key-entries:
              - api-key: "k1"
                # proxy-url: ""          # this key's proxy
            models:
              - name: "m1"
                alias: "a1"
                # force-mapping: false   # the alias in answers
            # excluded-models: []
        """;
    YamlDocument doc = YamlDocument.parse(text);
    Map<String, Object> root = root(doc);
    Map<String, Object> provider = (Map<String, Object>) ((List<Object>) root.get("openai-compatibility")).get(0);
    ((List<Object>) provider.get("api-key-entries")).add(Map.of("api-key", "k2"));
    Map<String, Object> model = new java.util.LinkedHashMap<>();
    model.put("name", "m2");
    model.put("alias", "a2");
    ((List<Object>) provider.get("models")).add(model);

    String out = doc.render(root);

    assertEquals("""
        openai-compatibility:
          - name: "p"
            base-url: "http://h/v1"
            api-key-entries:
              - api-key: "k1"
                # proxy-url: ""          # this key's proxy
              - api-key: k2
            models:
              - name: "m1"
                alias: "a1"
                # force-mapping: false   # the alias in answers
              - name: m2
                alias: a2
            # excluded-models: []
        """, out);
  }

  @Test
  @SuppressWarnings("unchecked")
  void appendingAModelToTheShippedExampleLeavesItsCommentsWhereTheyWere() throws IOException {
    String text = java.nio.file.Files.readString(java.nio.file.Path.of("conf/config.yaml"));
    YamlDocument doc = YamlDocument.parse(text);
    Map<String, Object> root = root(doc);
    Map<String, Object> provider = (Map<String, Object>) ((List<Object>) root.get("openai-compatibility")).get(0);
    Map<String, Object> model = new java.util.LinkedHashMap<>();
    model.put("name", "vendor/new-model");
    model.put("alias", "new-model");
    ((List<Object>) provider.get("models")).add(model);

    String out = doc.render(root);

    String previousRow = "        alias: \"claude-sonnet\"               # client-visible id; repeat an alias to make a pool\n"
        + "        # force-mapping: false";
    assertTrue(out.contains(previousRow), out);
    assertTrue(out.contains("(asked with the first key, then the next if one fails)\n"
        + "    # request-scoped-errors: []"), out);
    String after = out.substring(out.indexOf(previousRow));
    assertTrue(after.contains("#                                    # tokens, for max-cost-per-month (unpriced models "
        + "cost nothing)\n      - name: vendor/new-model\n        alias: new-model\n    # excluded-models: []"),
        after);
  }
}
