package dev.llmproxy.dialect.gemini;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.JsonTrees;
import dev.llmproxy.dialect.ListedModel;
import java.util.List;

/**
 * {@code GET /v1beta/models} and {@code GET /v1beta/models/{id}} in Gemini's shape:
 * {@code {"models":[{"name":"models/<id>","baseModelId","displayName","description",
 * "supportedGenerationMethods":["generateContent","streamGenerateContent","countTokens"]}]}}, one page
 * (no {@code nextPageToken}). The gateway knows no token limits or versions of its upstreams' models,
 * so those fields are left out. Stateless.
 */
public final class GeminiModelList {
  private GeminiModelList() {}

  /** The list body, in the order given. */
  public static byte[] body(List<ListedModel> models) {
    ObjectNode body = GeminiResponseJson.NODES.objectNode();
    ArrayNode list = body.putArray("models");
    models.forEach(model -> list.add(json(model)));
    return JsonTrees.bytes(body);
  }

  /** One model's object, the body of {@code GET /v1beta/models/{id}}. */
  public static byte[] model(ListedModel model) {
    return JsonTrees.bytes(json(model));
  }

  private static ObjectNode json(ListedModel model) {
    ObjectNode json = GeminiResponseJson.NODES.objectNode();
    json.put("name", "models/" + model.id());
    json.put("baseModelId", model.id());
    json.put("displayName", model.id());
    json.put("description", "Served by " + model.ownedBy() + " through llm-proxy.");
    json.putArray("supportedGenerationMethods").add("generateContent").add("streamGenerateContent").add("countTokens");
    return json;
  }
}
