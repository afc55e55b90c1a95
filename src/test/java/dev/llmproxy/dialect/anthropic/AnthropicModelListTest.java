package dev.llmproxy.dialect.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.dialect.ListedModel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec §7: {@code GET /v1/models} in Anthropic's shape. */
class AnthropicModelListTest {
  private static final ListedModel SONNET = new ListedModel("claude-sonnet-4-5", 1767225600L, "deepseek");
  private static final ListedModel PREFIXED = new ListedModel("or/qwen3-coder", 1767225661L, "openrouter");

  @Test
  void listHasAnthropicsShape() {
    assertEquals("{\"data\":["
        + "{\"type\":\"model\",\"id\":\"claude-sonnet-4-5\",\"display_name\":\"claude-sonnet-4-5\","
        + "\"created_at\":\"2026-01-01T00:00:00Z\"},"
        + "{\"type\":\"model\",\"id\":\"or/qwen3-coder\",\"display_name\":\"or/qwen3-coder\","
        + "\"created_at\":\"2026-01-01T00:01:01Z\"}],"
        + "\"has_more\":false,\"first_id\":\"claude-sonnet-4-5\",\"last_id\":\"or/qwen3-coder\"}",
        new String(AnthropicModelList.body(List.of(SONNET, PREFIXED)), StandardCharsets.UTF_8));
  }

  @Test
  void emptyListHasNullBounds() {
    assertEquals("{\"data\":[],\"has_more\":false,\"first_id\":null,\"last_id\":null}",
        new String(AnthropicModelList.body(List.of()), StandardCharsets.UTF_8));
  }

  @Test
  void oneModel() {
    assertEquals("{\"type\":\"model\",\"id\":\"claude-sonnet-4-5\",\"display_name\":\"claude-sonnet-4-5\","
        + "\"created_at\":\"2026-01-01T00:00:00Z\"}",
        new String(AnthropicModelList.model(SONNET), StandardCharsets.UTF_8));
  }
}
