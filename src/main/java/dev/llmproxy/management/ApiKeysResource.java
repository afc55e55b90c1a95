package dev.llmproxy.management;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /v0/management/api-keys}, the client keys, with CLIProxyAPI's shapes: GET {@code
 * {"api-keys":[...]}} (masked); PUT a JSON array of strings or {@code {"items":[...]}}; PATCH {@code
 * {"index":i,"value":"k"}} replaces one, {@code {"old":"a","new":"b"}} replaces {@code a} (which may be
 * given masked) or appends {@code b} when {@code old} is absent; DELETE {@code ?index=} or {@code
 * ?value=} (masked or clear).
 */
@Path("api-keys")
@Produces(MediaType.APPLICATION_JSON)
public final class ApiKeysResource {
  static final String KEY = "api-keys";

  private final ConfigStore store;

  ApiKeysResource(ConfigStore store) {
    this.store = store;
  }

  @GET
  public Map<String, Object> list(@QueryParam("reveal") boolean reveal, @Context HttpServletRequest request) {
    Map<?, ?> shown = (Map<?, ?>) ManagementView.of(store.read(), reveal, request);
    Object keys = shown.get(KEY);
    return Map.of(KEY, keys instanceof List ? keys : List.of());
  }

  @PUT
  public Map<String, Object> replace(String body) {
    List<Object> items = JsonBodies.items(JsonBodies.parse(body));
    for (Object item : items) {
      if (!(item instanceof String)) {
        throw ManagementException.invalidBody("each api key must be a string");
      }
    }
    store.edit(root -> root.put(KEY, items));
    return Ok.BODY;
  }

  @PATCH
  public Map<String, Object> patch(String body) {
    Map<String, Object> request = JsonBodies.object(JsonBodies.parse(body), "the body");
    Integer index = JsonBodies.integer(request, "index");
    String value = JsonBodies.string(request, "value");
    String old = JsonBodies.string(request, "old");
    String added = JsonBodies.string(request, "new");
    if (index != null && value != null) {
      store.edit(root -> {
        List<Object> keys = keys(root);
        if (index < 0 || index >= keys.size()) {
          throw ManagementException.itemNotFound("no api key at index " + index);
        }
        keys.set(index, value);
      });
    } else if (added != null) {
      store.edit(root -> {
        List<Object> keys = keys(root);
        if (old == null) {
          keys.add(added);
        } else {
          keys.set(indexOf(keys, old), added);
        }
      });
    } else {
      throw ManagementException.invalidBody("expected {\"index\":i,\"value\":\"key\"} or {\"old\":\"a\",\"new\":\"b\"}");
    }
    return Ok.BODY;
  }

  @DELETE
  public Map<String, Object> delete(@QueryParam("index") String index, @QueryParam("value") String value) {
    if (value != null && !value.isEmpty()) {
      store.edit(root -> {
        List<Object> keys = keys(root);
        keys.remove(indexOf(keys, value));
      });
      return Ok.BODY;
    }
    int position = Ok.parseIndex(index, "missing index or value");
    store.edit(root -> {
      List<Object> keys = keys(root);
      if (position >= keys.size()) {
        throw ManagementException.itemNotFound("no api key at index " + position);
      }
      keys.remove(position);
    });
    return Ok.BODY;
  }

  /** Position of {@code key} given in clear or as its mask (which must then be unambiguous). */
  private static int indexOf(List<Object> keys, String key) {
    int found = keys.indexOf(key);
    if (found >= 0) {
      return found;
    }
    if (SecretPaths.looksMasked(key)) {
      for (int i = 0; i < keys.size(); i++) {
        if (key.equals(SecretPaths.mask(KEY + "[]", keys.get(i)))) {
          if (found >= 0) {
            throw ManagementException.invalidBody("'" + key + "' matches several keys; send the key in clear");
          }
          found = i;
        }
      }
    }
    if (found < 0) {
      throw ManagementException.itemNotFound(null);
    }
    return found;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> keys(Map<String, Object> root) {
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
}
