package dev.llmproxy.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of {@code GET /v1/models}, shaped as OpenAI's model object. Immutable. */
public record ModelInfo(
    String id,
    String object,
    long created,
    @JsonProperty("owned_by") String ownedBy) {

  public static ModelInfo of(String id, long created, String ownedBy) {
    return new ModelInfo(id, "model", created, ownedBy);
  }
}
