package dev.llmproxy.dialect.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.llmproxy.dialect.ListedModel;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}} in Anthropic's shape, for clients that send
 * {@code anthropic-version}: {@code {"data":[{"type":"model","id","display_name","created_at"}],
 * "has_more":false,"first_id","last_id"}}. The whole list is one page, so {@code has_more} is false;
 * {@code first_id}/{@code last_id} are {@code null} for an empty list. {@code display_name} is the id (the
 * gateway knows no nicer name); {@code created_at} is RFC 3339 in UTC. Stateless.
 */
public final class AnthropicModelList {
  private AnthropicModelList() {}

  /** The list body, in the order given. */
  public static byte[] body(List<ListedModel> models) {
    return GeneratedJson.bytes(json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("data");
      for (ListedModel model : models) {
        write(json, model);
      }
      json.writeEndArray();
      json.writeBooleanField("has_more", false);
      json.writeStringField("first_id", models.isEmpty() ? null : models.get(0).id());
      json.writeStringField("last_id", models.isEmpty() ? null : models.get(models.size() - 1).id());
      json.writeEndObject();
    });
  }

  /** One model's object, the body of {@code GET /v1/models/{id}}. */
  public static byte[] model(ListedModel model) {
    return GeneratedJson.bytes(json -> write(json, model));
  }

  private static void write(JsonGenerator json, ListedModel model) throws IOException {
    json.writeStartObject();
    json.writeStringField("type", "model");
    json.writeStringField("id", model.id());
    json.writeStringField("display_name", model.id());
    json.writeStringField("created_at", Instant.ofEpochSecond(model.created()).toString());
    json.writeEndObject();
  }
}
