package dev.llmproxy.management;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scalar settings of {@link Setting} ({@code /debug}, {@code /proxy-url}, {@code /request-retry},
 * {@code /max-retry-credentials}, {@code /max-retry-interval}, {@code /force-model-prefix},
 * {@code /routing/strategy}): GET {@code {"<key>":value}} (the file's value, or the default when
 * absent; a proxy password masked); PUT or PATCH {@code {"value":X}}; DELETE of {@code proxy-url}
 * removes it. A value of the wrong JSON type is 400 {@code invalid body}; a value the loader rejects
 * (a negative retry count, an unknown strategy) is 422 naming its YAML path.
 */
@Path("{setting: debug|proxy-url|request-retry|max-retry-credentials|max-retry-interval|force-model-prefix"
    + "|routing/strategy}")
@Produces(MediaType.APPLICATION_JSON)
public final class SettingsResource {
  private final ConfigStore store;

  SettingsResource(ConfigStore store) {
    this.store = store;
  }

  @GET
  public Map<String, Object> get(@PathParam("setting") String route, @QueryParam("reveal") boolean reveal,
      @Context HttpServletRequest request) {
    Setting setting = Setting.ofRoute(route);
    Object shown = setting == Setting.PROXY_URL ? ManagementView.of(store.read(), reveal, request) : store.read();
    Object value = shown;
    for (String segment : setting.path()) {
      value = value instanceof Map<?, ?> m ? m.get(segment) : null;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(setting.field(), value == null ? setting.defaultValue() : value);
    return body;
  }

  @PUT
  public Map<String, Object> put(@PathParam("setting") String route, String body) {
    Setting setting = Setting.ofRoute(route);
    Map<String, Object> request = JsonBodies.object(JsonBodies.parse(body), "the body");
    Object value = request.get("value");
    if (!setting.accepts(value)) {
      throw ManagementException.invalidBody("value of " + route + " is missing or has the wrong type");
    }
    store.edit(root -> setting.parentIn(root).put(setting.field(), value));
    return Ok.BODY;
  }

  @PATCH
  public Map<String, Object> patch(@PathParam("setting") String route, String body) {
    return put(route, body);
  }

  @DELETE
  public Map<String, Object> delete(@PathParam("setting") String route) {
    Setting setting = Setting.ofRoute(route);
    if (setting != Setting.PROXY_URL) {
      throw new ManagementException(405, "method not allowed", "only proxy-url can be deleted");
    }
    store.edit(root -> root.remove(setting.field()));
    return Ok.BODY;
  }
}
