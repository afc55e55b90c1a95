package dev.llmproxy.management;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * {@code /v0/management/config.yaml}: GET the file as written, secrets masked, in values and in comments
 * ({@link CommentSecrets}; layout untouched), {@code application/yaml}, {@code Cache-Control: no-store}; 404 {@code
 * {"error":"not_found"}} without a file. PUT raw YAML replaces the file verbatim (masked secrets sent
 * back are restored): unparsable → 400 {@code invalid_yaml}; empty or only comments → 422 {@code empty_config};
 * rejected by the loader → 422 {@code invalid_config} with every problem; switching management off or opening
 * {@code /v1} → 422 {@code unsafe_change}; otherwise 200 {@code {"ok":true,"changed":["config"]}}.
 */
@Path("config.yaml")
public final class ConfigYamlResource {
  private static final MediaType YAML = MediaType.valueOf("application/yaml; charset=utf-8");

  private final ConfigStore store;

  ConfigYamlResource(ConfigStore store) {
    this.store = store;
  }

  @GET
  public Response get(@QueryParam("reveal") boolean reveal, @Context HttpServletRequest request) {
    String text = store.readText();
    if (text == null) {
      throw new ManagementException(404, "not_found", "config file not found");
    }
    String shown;
    if (reveal) {
      ManagementView.logReveal(request);
      shown = text;
    } else {
      try {
        shown = CommentSecrets.mask(SecretMasking.maskText(text));
      } catch (RuntimeException e) {
        throw new ManagementException(409, "config_unreadable",
            "config.yaml on disk is not valid YAML; use ?reveal=true to see it as it is");
      }
    }
    return Response.ok(shown, YAML).header("Cache-Control", "no-store").build();
  }

  @PUT
  public Response put(String body) {
    store.replace(body == null ? "" : body);
    return Response.ok(Map.of("ok", true, "changed", List.of("config")), MediaType.APPLICATION_JSON_TYPE).build();
  }
}
