package dev.llmproxy.api;

import dev.llmproxy.api.dto.ModelInfo;
import dev.llmproxy.auth.ClientIdentity;
import dev.llmproxy.api.dto.ModelList;
import dev.llmproxy.dialect.ListedModel;
import dev.llmproxy.dialect.anthropic.AnthropicErrors;
import dev.llmproxy.dialect.anthropic.AnthropicModelList;
import dev.llmproxy.dialect.gemini.GeminiModelList;
import dev.llmproxy.error.GatewayException;
import dev.llmproxy.error.OpenAiError;
import dev.llmproxy.limits.ClientLimits;
import dev.llmproxy.relay.RequestedModel;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.routing.ModelRoute;
import dev.llmproxy.routing.SnapshotHolder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Model discovery: {@code GET /v1/models} and {@code GET /v1/models/{id}}, served from the current
 * routing table (aliases, prefixed ids, each pool once; disabled providers and excluded models never
 * appear), limited to the models the client's key (or user entry) may use: a model it may not use is not listed and
 * not found. Mounted on the servlet path {@code /v1/models}; ids may contain slashes ({@code or/claude}).
 * Anthropic clients (they send {@code anthropic-version}) get Anthropic's list shape and error envelope; Google's
 * SDKs (a key in {@code x-goog-api-key} and no {@code Authorization}) get Gemini's list.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class ModelsResource {
  static final String ANTHROPIC_VERSION = "anthropic-version";
  private final SnapshotHolder snapshots;

  public ModelsResource(SnapshotHolder snapshots) {
    this.snapshots = snapshots;
  }

  @GET
  public Response list(@HeaderParam(ANTHROPIC_VERSION) String anthropicVersion,
      @HeaderParam("x-goog-api-key") String googleKey, @HeaderParam("Authorization") String authorization,
      @Context HttpServletRequest request) {
    GatewaySnapshot snapshot = requireSnapshot(anthropicVersion);
    ClientIdentity client = ClientIdentity.of(request);
    if (anthropicVersion != null) {
      return json(AnthropicModelList.body(listed(snapshot, client)));
    }
    if (googleKey != null && authorization == null) {
      // Google's SDKs at the default API version list /v1/models, with their key in x-goog-api-key.
      return json(GeminiModelList.body(listed(snapshot, client)));
    }
    List<ModelInfo> data = new ArrayList<>();
    for (ListedModel model : listed(snapshot, client)) {
      data.add(ModelInfo.of(model.id(), model.created(), model.ownedBy()));
    }
    return Response.ok(ModelList.of(data)).build();
  }

  @GET
  @Path("{id: .+}")
  public Response get(@PathParam("id") String id, @HeaderParam(ANTHROPIC_VERSION) String anthropicVersion,
      @Context HttpServletRequest request) {
    GatewaySnapshot snapshot = requireSnapshot(anthropicVersion);
    ClientIdentity client = ClientIdentity.of(request);
    ModelRoute route = routable(snapshot, client, id);
    if (route == null) {
      if (anthropicVersion != null) {
        return Response.status(404).type(MediaType.APPLICATION_JSON_TYPE).entity(AnthropicErrors.body(404,
            "The model '" + id + "' does not exist or you do not have access to it.")).build();
      }
      throw new GatewayException(404, OpenAiError.modelNotFound(id));
    }
    // Named as asked: a suffixed name or auto is found as the model it routes to, under the name the client uses.
    ListedModel model = new ListedModel(id, snapshot.loadedAtEpochSecond(), route.ownedBy());
    if (anthropicVersion != null) {
      return json(AnthropicModelList.model(model));
    }
    return Response.ok(ModelInfo.of(model.id(), model.created(), model.ownedBy())).build();
  }

  /** Every routed model id {@code client} may use, as {@link ListedModel}s for the dialects' own list shapes. */
  public static List<ListedModel> listed(GatewaySnapshot snapshot, ClientIdentity client) {
    List<ListedModel> out = new ArrayList<>();
    for (ModelRoute route : snapshot.table().routes()) {
      if (ClientLimits.allows(client, route.id())) {
        out.add(new ListedModel(route.id(), snapshot.loadedAtEpochSecond(), route.ownedBy()));
      }
    }
    return out;
  }

  /**
   * The route a chat request naming {@code asSent} would take for {@code client} (a configured id, {@code auto}, a
   * thinking suffix), or {@code null} when such a request would be refused as naming no model it may use.
   */
  public static ModelRoute routable(GatewaySnapshot snapshot, ClientIdentity client, String asSent) {
    RequestedModel requested = RequestedModel.resolve(snapshot, client, asSent);
    if (requested == null || !requested.acceptedAsSent() || !ClientLimits.allows(client, requested.route().id())) {
      return null;
    }
    return requested.route();
  }

  private static Response json(byte[] body) {
    return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
  }

  private GatewaySnapshot requireSnapshot(String anthropicVersion) {
    GatewaySnapshot snapshot = snapshots.current();
    if (snapshot == null) {
      OpenAiError error = OpenAiError.notConfigured(snapshots.problem());
      if (anthropicVersion != null) {
        throw new WebApplicationException(Response.status(503).type(MediaType.APPLICATION_JSON_TYPE)
            .entity(AnthropicErrors.body(503, error.message())).build());
      }
      throw new GatewayException(503, error);
    }
    return snapshot;
  }
}
