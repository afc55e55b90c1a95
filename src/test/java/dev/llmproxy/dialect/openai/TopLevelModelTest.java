package dev.llmproxy.dialect.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TopLevelModelTest {
  private static String replace(String json, String model) {
    return new String(TopLevelModel.replace(json.getBytes(StandardCharsets.UTF_8), model), StandardCharsets.UTF_8);
  }

  @Test
  void onlyTheTopLevelModelStringChangesEveryOtherByteStays() {
    assertEquals("{\"id\":\"x\", \"model\" : \"house\",\"choices\":[{\"model\":\"inner\"}],\"n\":1}",
        replace("{\"id\":\"x\", \"model\" : \"vendor/model-v2\",\"choices\":[{\"model\":\"inner\"}],\"n\":1}", "house"));
    assertEquals("{\"choices\":[{\"model\":\"inner\"}],\"model\":\"h\\\"q\"}",
        replace("{\"choices\":[{\"model\":\"inner\"}],\"model\":\"é\"}", "h\"q"), "escaped, after nested objects");
    assertEquals("{\"note\":\"café ☕ 日本\",\"model\":\"house\",\"n\":1}",
        replace("{\"note\":\"café ☕ 日本\",\"model\":\"vendor/x\",\"n\":1}", "house"),
        "offsets are bytes: multi-byte text before the model does not shift the splice");
  }

  @Test
  void withoutAModelStringTheBytesAreReturnedAsTheyCame() {
    byte[] none = "{\"id\":\"x\",\"model\":null}".getBytes(StandardCharsets.UTF_8);
    assertSame(none, TopLevelModel.replace(none, "h"));
    byte[] notJson = "not json".getBytes(StandardCharsets.UTF_8);
    assertSame(notJson, TopLevelModel.replace(notJson, "h"));
  }
}
