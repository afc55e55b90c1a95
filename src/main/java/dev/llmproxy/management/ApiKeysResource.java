package dev.llmproxy.management;

import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.routing.SnapshotHolder;
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
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v0/management/api-keys}, the client keys, with CLIProxyAPI's shapes and llm-proxy's key objects:
 * <ul>
 *   <li>GET {@code {"api-keys":[...],"usage":[...]}}: the entries as the file has them (strings, or objects with
 *       {@code key} or {@code key-sha256}, {@code name} and limits), keys and hashes masked; and for each running
 *       key with limits its state ({@code active}, {@code disabled}, {@code expired}) and, per limit, {@code
 *       {"limit","used"}} ({@code usage} only when a key has limits).
 *   <li>POST an object minus {@code key} ({@code name} required, limits optional; {@code Content-Type:
 *       application/json} only): creates a key, stores only its {@code key-sha256}, and answers it once in clear,
 *       201 {@code {"status":"ok","name","key"}}. It works at once, on every instance.
 *   <li>PUT a JSON array (or {@code {"items":[...]}}) of strings and objects: replaces the list.
 *   <li>PATCH {@code {"index":i,"value":"k"}} replaces one with a string; {@code {"index":i,"value":{...}}} or
 *       {@code {"name":"n","value":{...}}} sets (a {@code null} removes) the given fields of one entry (limits,
 *       {@code disabled}, {@code expires}, {@code name}; never the key); {@code {"old":"a","new":"b"}} replaces
 *       {@code a} (which may be given masked) or appends {@code b} when {@code old} is absent.
 *   <li>DELETE {@code ?index=}, {@code ?name=} or {@code ?value=} (masked or clear).
 * </ul>
 */
@Path("api-keys")
@Produces(MediaType.APPLICATION_JSON)
public final class ApiKeysResource {
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeysResource.class);
  static final String KEY = "api-keys";

  private final ConfigStore store;
  private final SnapshotHolder snapshots;
  private final ClientKeyUsage usage;

  ApiKeysResource(ConfigStore store, SnapshotHolder snapshots, ClientKeyUsage usage) {
    this.store = store;
    this.snapshots = snapshots;
    this.usage = usage;
  }

  @GET
  public Map<String, Object> list(@QueryParam("reveal") boolean reveal, @Context HttpServletRequest request) {
    Map<?, ?> shown = (Map<?, ?>) ManagementView.of(store.read(), reveal, request);
    Object keys = shown.get(KEY);
    GatewaySnapshot snapshot = snapshots.current();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(KEY, keys instanceof List<?> list ? withIsoDates(list) : List.of());
    List<Map<String, Object>> rows = snapshot == null ? List.of() : usage.rows(snapshot.config().apiKeys());
    if (!rows.isEmpty()) {
      // Only then: a list of plain keys keeps CLIProxyAPI's exact shape.
      out.put("usage", rows);
    }
    return out;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(String body) {
    Map<String, Object> request = JsonBodies.object(JsonBodies.withoutNulls(JsonBodies.parse(body)), "the body");
    String key = ClientKeyEntries.newKey();
    Map<String, Object> entry = ClientKeyEntries.created(request, key);
    store.edit(root -> keys(root).add(entry));
    LOG.info("Client key '{}' created through the management API (only its hash is stored)", entry.get("name"));
    Map<String, Object> answer = new LinkedHashMap<>(Ok.BODY);
    answer.put("name", entry.get("name"));
    answer.put("key", key);
    return Response.status(201).entity(answer).build();
  }

  @PUT
  public Map<String, Object> replace(String body) {
    List<Object> items = JsonBodies.items(JsonBodies.parse(body));
    for (Object item : items) {
      if (!(item instanceof String) && !(item instanceof Map)) {
        throw ManagementException.invalidBody("each api key must be a string or an object");
      }
    }
    store.edit(root -> root.put(KEY, items));
    return Ok.BODY;
  }

  @PATCH
  public Map<String, Object> patch(String body) {
    Map<String, Object> request = JsonBodies.object(JsonBodies.parse(body), "the body");
    Integer index = JsonBodies.integer(request, "index");
    String name = JsonBodies.string(request, "name");
    if ((index != null || name != null) && request.get("value") instanceof Map<?, ?>) {
      Map<String, Object> changes = JsonBodies.object(request.get("value"), "value");
      store.edit(root -> {
        List<Object> keys = keys(root);
        int at = name != null ? ClientKeyEntries.indexOfName(keys, name) : checked(keys, index);
        keys.set(at, ClientKeyEntries.merged(keys.get(at), changes));
      });
      return Ok.BODY;
    }
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
      throw ManagementException.invalidBody("expected {\"index\":i,\"value\":\"key\"}, {\"name\":\"n\","
          + "\"value\":{...}} or {\"old\":\"a\",\"new\":\"b\"}");
    }
    return Ok.BODY;
  }

  @DELETE
  public Map<String, Object> delete(@QueryParam("index") String index, @QueryParam("value") String value,
      @QueryParam("name") String name) {
    if (name != null && !name.isEmpty()) {
      store.edit(root -> {
        List<Object> keys = keys(root);
        keys.remove(ClientKeyEntries.indexOfName(keys, name));
      });
      return Ok.BODY;
    }
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

  private static int checked(List<Object> keys, int index) {
    if (index < 0 || index >= keys.size()) {
      throw ManagementException.itemNotFound("no api key at index " + index);
    }
    return index;
  }

  /** An unquoted {@code expires: 2026-07-01} reads as a date: shown as written, not as epoch milliseconds. */
  private static List<Object> withIsoDates(List<?> keys) {
    List<Object> out = new ArrayList<>();
    for (Object entry : keys) {
      if (entry instanceof Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v instanceof Date d ? iso(d) : v));
        out.add(copy);
      } else {
        out.add(entry);
      }
    }
    return out;
  }

  private static String iso(Date date) {
    Instant instant = date.toInstant();
    return instant.atOffset(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT)
        ? instant.atOffset(ZoneOffset.UTC).toLocalDate().toString() : instant.toString();
  }

  /** Position of {@code key} given in clear or as its mask (which must then be unambiguous). */
  private static int indexOf(List<Object> keys, String key) {
    int found = keys.indexOf(key);
    if (found >= 0) {
      return found;
    }
    if (SecretPaths.looksMasked(KEY + "[]", key)) {
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
