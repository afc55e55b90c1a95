package dev.llmproxy.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.error.GatewayException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonRequestsTest {
  @Test
  void aStringLongerThanJacksonsDefaultCapIsReadTheBodysSizeIsTheBound() {
    String image = "A".repeat(21_000_000);
    JsonNode tree = JsonRequests.parseObject(("{\"model\":\"m\",\"data\":\"" + image + "\"}")
        .getBytes(StandardCharsets.US_ASCII));
    assertEquals(21_000_000, tree.get("data").asText().length());
  }

  @Test
  void malformedOrNonObjectBodiesAre400() {
    GatewayException e = assertThrows(GatewayException.class, () -> JsonRequests.parseObject("[1]".getBytes()));
    assertEquals(400, e.status());
    GatewayException broken = assertThrows(GatewayException.class, () -> JsonRequests.parseObject("{\"a\":".getBytes()));
    assertTrue(broken.error().message().contains("not valid JSON"), broken.error().message());
  }
}
