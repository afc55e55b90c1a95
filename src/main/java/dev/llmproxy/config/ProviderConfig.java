package dev.llmproxy.config;

import java.util.List;
import java.util.Map;

/**
 * One {@code openai-compatibility[]} entry. Immutable.
 *
 * @param name provider name; {@code owned_by} in {@code /v1/models}
 * @param disabled when true the entry serves no models
 * @param prefix client-visible prefix without slashes ({@code or} for {@code or/claude-sonnet}); empty for none
 * @param baseUrl upstream API root without trailing slash, e.g. {@code https://openrouter.ai/api/v1}
 * @param headers extra upstream headers in file order; a value {@code $Name} copies the client's header {@code Name}
 * @param apiKeyEntries upstream credentials
 * @param models model rows; the same alias repeated forms a pool
 * @param excludedModels patterns ({@code exact}, {@code prefix*}, {@code *suffix}, {@code *infix*}), case-insensitive
 * @param requestRetry provider override of the global {@code request-retry}, or {@code null} to inherit
 * @param disableCooling provider override of the global {@code disable-cooling}, or {@code null} to inherit
 * @param discoverModels fetch {@code GET base-url/models}; {@code null} means "when {@code models} is empty"
 * @param requestScopedErrors rules that override how this provider's upstream errors are handled, in order
 * @param priority among providers serving the same model id, higher ones are tried first and lower ones
 *     only when every higher one failed or cools down (default 0)
 * @param responsesApi how {@code /v1/responses} reaches this provider: translated to chat completions
 *     (the default, as CLIProxyAPI does: most providers serve only chat completions) or forwarded as is
 */
public record ProviderConfig(
    String name,
    boolean disabled,
    String prefix,
    String baseUrl,
    Map<String, String> headers,
    List<ApiKeyEntry> apiKeyEntries,
    List<ModelMapping> models,
    List<String> excludedModels,
    Integer requestRetry,
    Boolean disableCooling,
    Boolean discoverModels,
    List<ErrorRule> requestScopedErrors,
    int priority,
    ResponsesApi responsesApi) {

  /** {@code responses-api}: how a Responses API request reaches the provider. */
  public enum ResponsesApi {
    /** Translated to {@code /chat/completions}, the answer translated back. */
    TRANSLATE,
    /** Forwarded to the provider's own {@code /responses}, byte for byte. */
    NATIVE
  }

  public ProviderConfig {
    headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
    apiKeyEntries = List.copyOf(apiKeyEntries);
    models = List.copyOf(models);
    excludedModels = List.copyOf(excludedModels);
    requestScopedErrors = List.copyOf(requestScopedErrors);
  }

  /** Whether the upstream's model list is fetched: explicitly, or by default when no models are listed. */
  public boolean discoversModels() {
    return discoverModels != null ? discoverModels : models.isEmpty();
  }

  public boolean hasPrefix() {
    return !prefix.isEmpty();
  }
}
