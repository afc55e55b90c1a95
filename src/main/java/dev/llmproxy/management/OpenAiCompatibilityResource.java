package dev.llmproxy.management;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v0/management/openai-compatibility}, with CLIProxyAPI's shapes: GET {@code
 * {"openai-compatibility":[...]}} (keys masked, {@code disabled} always present); PUT a JSON array or
 * {@code {"items":[...]}} replaces the list (an empty one, in either form, is refused with 422); PATCH {@code {"index"|"name", "value":{...}}} changes the
 * given fields of one entry (lists and maps inside {@code value} replace whole, {@code null} removes a
 * field, {@code "base-url":""} deletes the entry); DELETE {@code ?name=} removes every entry of that
 * name, {@code ?index=} one position (404 {@code item not found} when there is none). Writes answer {@code
 * {"status":"ok"}}. POST {@code reveal-key}
 * with {@code {"index"|"name", "key-index":k}} answers one upstream key in clear, {@code {"api-key":...}},
 * so the admin page never needs the whole list revealed; logged like {@code ?reveal=true}.
 */
@Path("openai-compatibility")
@Produces(MediaType.APPLICATION_JSON)
public final class OpenAiCompatibilityResource {
  static final String KEY = "openai-compatibility";

  private final ConfigStore store;

  OpenAiCompatibilityResource(ConfigStore store) {
    this.store = store;
  }

  @GET
  public Map<String, Object> list(@QueryParam("reveal") boolean reveal, @Context HttpServletRequest request) {
    Map<?, ?> shown = (Map<?, ?>) ManagementView.of(store.read(), reveal, request);
    List<Object> entries = new ArrayList<>();
    if (shown.get(KEY) instanceof List<?> list) {
      for (Object item : list) {
        entries.add(item instanceof Map<?, ?> entry ? withDisabled(entry) : item);
      }
    }
    return Map.of(KEY, entries);
  }

  @PUT
  @SuppressWarnings("unchecked")
  public Map<String, Object> replace(String body) {
    List<Object> items = JsonBodies.items(JsonBodies.parse(body));
    if (items.isEmpty()) {
      // A script that lost its list (a failed read, an empty variable) would stop every route with one call.
      throw new ManagementException(422, "unsafe_change", "an empty list would remove every provider at once; "
          + "delete them one by one (DELETE ?name= or ?index=), or edit config.yaml by hand");
    }
    for (Object item : items) {
      JsonBodies.object(item, "each provider");
    }
    store.edit(root -> {
      List<Object> replacement = (List<Object>) JsonBodies.withoutNulls(items);
      dropShownDefaults(providers(root), replacement);
      root.put(KEY, replacement);
    });
    return Ok.BODY;
  }

  /**
   * GET adds {@code disabled: false} to entries that do not set it; a PUT that sends it back must not
   * write it into the file, or every GET, PUT round trip would change the file.
   */
  private static void dropShownDefaults(List<Object> stored, List<Object> replacement) {
    for (Object item : replacement) {
      if (item instanceof Map<?, ?> entry && Boolean.FALSE.equals(entry.get("disabled"))) {
        boolean storedWithout = stored.stream().anyMatch(old -> old instanceof Map<?, ?> m
            && m.get("name") != null && m.get("name").equals(entry.get("name")) && !m.containsKey("disabled"));
        if (storedWithout) {
          entry.remove("disabled");
        }
      }
    }
  }

  @PATCH
  public Map<String, Object> patch(String body) {
    Map<String, Object> request = JsonBodies.object(JsonBodies.parse(body), "the body");
    Map<String, Object> value = JsonBodies.object(request.get("value"), "value");
    Integer index = JsonBodies.integer(request, "index");
    String name = JsonBodies.string(request, "name");
    store.edit(root -> {
      List<Object> providers = providers(root);
      int target = find(providers, index, name);
      if (value.get("base-url") instanceof String url && url.isBlank()) {
        providers.remove(target);
        return;
      }
      Map<String, Object> entry = JsonBodies.object(providers.get(target), KEY + "[" + target + "]");
      value.forEach((k, v) -> {
        if (v == null) {
          entry.remove(k);
        } else {
          entry.put(k, JsonBodies.withoutNulls(v));
        }
      });
    });
    return Ok.BODY;
  }

  /**
   * One key of one provider in clear. Only JSON bodies are accepted: an HTML form of another site cannot
   * send one without a CORS preflight, which management never grants, so a container session cookie
   * alone cannot make a browser ask for it.
   */
  @POST
  @Path("reveal-key")
  @Consumes(MediaType.APPLICATION_JSON)
  public Map<String, Object> revealKey(String body, @Context HttpServletRequest request) {
    Map<String, Object> ask = JsonBodies.object(JsonBodies.parse(body), "the body");
    Integer keyIndex = JsonBodies.integer(ask, "key-index");
    if (keyIndex == null) {
      throw ManagementException.invalidBody("give the key's key-index");
    }
    List<Object> providers = providers(store.read());
    int target = find(providers, JsonBodies.integer(ask, "index"), JsonBodies.string(ask, "name"));
    Map<String, Object> provider = JsonBodies.object(providers.get(target), KEY + "[" + target + "]");
    if (!(provider.get("api-key-entries") instanceof List<?> keys) || keyIndex < 0 || keyIndex >= keys.size()
        || !(keys.get(keyIndex) instanceof Map<?, ?> entry) || !(entry.get("api-key") instanceof String key)) {
      throw ManagementException.itemNotFound("no api key at key-index " + keyIndex);
    }
    ManagementView.logReveal(request);
    return Map.of("api-key", key);
  }

  @DELETE
  public Map<String, Object> delete(@QueryParam("name") String name, @QueryParam("index") String index) {
    if (name != null && !name.isBlank()) {
      store.edit(root -> {
        if (!providers(root).removeIf(p -> p instanceof Map<?, ?> m && name.trim().equals(nameOf(m)))) {
          throw ManagementException.itemNotFound("no provider named '" + name.trim() + "'");
        }
      });
      return Ok.BODY;
    }
    int position = Ok.parseIndex(index, "missing name or index");
    store.edit(root -> {
      List<Object> providers = providers(root);
      if (position >= providers.size()) {
        throw ManagementException.itemNotFound("no provider at index " + position);
      }
      providers.remove(position);
    });
    return Ok.BODY;
  }

  /** A valid index wins; otherwise the first entry whose trimmed name equals {@code name}. */
  private static int find(List<Object> providers, Integer index, String name) {
    if (index != null && index >= 0 && index < providers.size()) {
      return index;
    }
    if (name != null) {
      for (int i = 0; i < providers.size(); i++) {
        if (providers.get(i) instanceof Map<?, ?> m && name.trim().equals(nameOf(m))) {
          return i;
        }
      }
    }
    if (index == null && name == null) {
      throw ManagementException.invalidBody("give the provider's index or name");
    }
    throw ManagementException.itemNotFound(null);
  }

  private static String nameOf(Map<?, ?> provider) {
    Object n = provider.get("name");
    return n == null ? null : String.valueOf(n).trim();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> providers(Map<String, Object> root) {
    Object list = root.get(KEY);
    if (list == null) {
      List<Object> created = new ArrayList<>();
      root.put(KEY, created);
      return created;
    }
    if (!(list instanceof List)) {
      throw new ManagementException(409, "config_unreadable", KEY + " in config.yaml is not a list");
    }
    return (List<Object>) list;
  }

  private static Map<String, Object> withDisabled(Map<?, ?> entry) {
    Map<String, Object> out = new LinkedHashMap<>();
    entry.forEach((k, v) -> {
      out.put(String.valueOf(k), v);
      if ("name".equals(k) && !entry.containsKey("disabled")) {
        out.put("disabled", false);
      }
    });
    out.putIfAbsent("disabled", false);
    return out;
  }
}
