package dev.llmproxy.routing;

import dev.llmproxy.config.ApiKeyEntry;
import dev.llmproxy.config.GatewayConfig;
import dev.llmproxy.config.ModelMapping;
import dev.llmproxy.config.ProviderConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model catalog and credentials of one config snapshot: which client model ids exist and which
 * (provider, upstream model) members and keys can serve them. Immutable; rebuilt on every reload.
 */
public final class RoutingTable {
  private final Map<String, ModelRoute> routes;
  private final Map<String, List<Credential>> credentialsByProvider;

  private RoutingTable(Map<String, ModelRoute> routes, Map<String, List<Credential>> credentialsByProvider) {
    this.routes = routes;
    this.credentialsByProvider = credentialsByProvider;
  }

  public static RoutingTable build(GatewayConfig config) {
    return build(config, DiscoveredModels.NONE);
  }

  /**
   * Builds the table from the listed {@code models} and, for providers that discover, the ids their
   * upstream listed. A listed alias wins over a discovered id of the same name.
   */
  public static RoutingTable build(GatewayConfig config, DiscoveredModels discovered) {
    Map<String, List<PoolMember>> members = new LinkedHashMap<>();
    Map<String, String> owners = new HashMap<>();
    Map<String, List<Credential>> credentials = new HashMap<>();
    for (ProviderConfig provider : config.providers()) {
      if (provider.disabled()) {
        continue;
      }
      credentials.put(provider.name(), credentialsOf(config, provider));
      for (ModelMapping model : provider.models()) {
        if (ExcludedModels.matchesAny(provider.excludedModels(), model.alias())
            || ExcludedModels.matchesAny(provider.excludedModels(), model.name())) {
          continue;
        }
        for (String id : clientIds(config, provider, model.alias())) {
          List<PoolMember> list = members.computeIfAbsent(id, k -> new ArrayList<>());
          PoolMember member = new PoolMember(provider, model.name(), model.forceMapping(), model.maxTokens(),
              model.price());
          if (!list.contains(member)) {
            list.add(member);
          }
          owners.putIfAbsent(id, provider.name());
        }
      }
    }
    addDiscovered(config, discovered, members, owners);
    Map<String, ModelRoute> routes = new LinkedHashMap<>();
    members.forEach((id, list) -> routes.put(id, new ModelRoute(id, owners.get(id), list)));
    return new RoutingTable(routes, credentials);
  }

  private static void addDiscovered(GatewayConfig config, DiscoveredModels discovered,
      Map<String, List<PoolMember>> members, Map<String, String> owners) {
    java.util.Set<String> listed = new java.util.HashSet<>(members.keySet());
    for (ProviderConfig provider : config.providers()) {
      if (provider.disabled() || !provider.discoversModels()) {
        continue;
      }
      for (String upstreamId : discovered.of(provider.name())) {
        if (ExcludedModels.matchesAny(provider.excludedModels(), upstreamId)) {
          continue;
        }
        for (String id : clientIds(config, provider, upstreamId)) {
          if (listed.contains(id)) {
            continue;
          }
          List<PoolMember> list = members.computeIfAbsent(id, k -> new ArrayList<>());
          PoolMember member = new PoolMember(provider, upstreamId);
          if (!list.contains(member)) {
            list.add(member);
          }
          owners.putIfAbsent(id, provider.name());
        }
      }
    }
  }

  /** The ids a model row is reachable under: {@code prefix/alias}, plus bare {@code alias} unless forced. */
  private static List<String> clientIds(GatewayConfig config, ProviderConfig provider, String alias) {
    if (!provider.hasPrefix()) {
      return List.of(alias);
    }
    String prefixed = provider.prefix() + "/" + alias;
    return config.forceModelPrefix() ? List.of(prefixed) : List.of(prefixed, alias);
  }

  private static List<Credential> credentialsOf(GatewayConfig config, ProviderConfig provider) {
    List<Credential> list = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < provider.apiKeyEntries().size(); i++) {
      ApiKeyEntry entry = provider.apiKeyEntries().get(i);
      var proxy = config.effectiveProxy(entry);
      String base = provider.name().toLowerCase(Locale.ROOT) + ":"
          + digest(entry.apiKey() + "\n" + provider.baseUrl() + "\n" + proxy.poolKey());
      int dup = seen.merge(base, 1, Integer::sum);
      String id = dup == 1 ? base : base + "-" + (dup - 1);
      list.add(new Credential(id, provider, i, entry, proxy));
    }
    return List.copyOf(list);
  }

  private static String digest(String s) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The route for a client model id (exact, case-sensitive), or {@code null}. */
  public ModelRoute find(String modelId) {
    return routes.get(modelId);
  }

  /** Every listed route in config order, each id once. */
  public Collection<ModelRoute> routes() {
    return routes.values();
  }

  public List<Credential> credentials(ProviderConfig provider) {
    return credentialsByProvider.getOrDefault(provider.name(), List.of());
  }
}
