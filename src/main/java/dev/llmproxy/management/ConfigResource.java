package dev.llmproxy.management;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v0/management/config}: the whole config as JSON, as CLIProxyAPI's control panels read it
 * on their first page: the file's values, the default of each scalar setting the file leaves out
 * ({@link Setting}), secrets masked ({@code ?reveal=true} shows them and is logged). Like CLIProxyAPI,
 * {@code host}, {@code port}, {@code auth-dir} and {@code remote-management} are left out. Read-only;
 * writes go through the routes of each part or {@code config.yaml}.
 */
@Path("config")
@Produces(MediaType.APPLICATION_JSON)
public final class ConfigResource {
  private static final List<String> LEFT_OUT = List.of("host", "port", "auth-dir", "remote-management");

  private final ConfigStore store;

  ConfigResource(ConfigStore store) {
    this.store = store;
  }

  @GET
  public Object get(@QueryParam("reveal") boolean reveal, @Context HttpServletRequest request) {
    Map<String, Object> config = store.read();
    LEFT_OUT.forEach(config::remove);
    for (Setting setting : Setting.values()) {
      setting.parentIn(config).putIfAbsent(setting.field(), setting.defaultValue());
    }
    return ManagementView.of(config, reveal, request);
  }

}
