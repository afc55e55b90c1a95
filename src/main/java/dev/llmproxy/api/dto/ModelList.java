package dev.llmproxy.api.dto;

import java.util.List;

/** The body of {@code GET /v1/models}: {@code {"object":"list","data":[...]}}. Immutable. */
public record ModelList(String object, List<ModelInfo> data) {
  public ModelList {
    data = List.copyOf(data);
  }

  public static ModelList of(List<ModelInfo> data) {
    return new ModelList("list", data);
  }
}
