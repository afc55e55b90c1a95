package dev.llmproxy.api;

import dev.llmproxy.api.dto.ModelInfo;
import dev.llmproxy.api.dto.ModelList;
import dev.llmproxy.error.GatewayException;
import dev.llmproxy.error.OpenAiError;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.routing.ModelRoute;
import dev.llmproxy.routing.SnapshotHolder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;

/**
 * Model discovery: {@code GET /v1/models} and {@code GET /v1/models/{id}}, served from the current
 * routing table (aliases, prefixed ids, each pool once; disabled providers and excluded models never
 * appear). Mounted on the servlet path {@code /v1/models}; ids may contain slashes ({@code or/claude}).
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class ModelsResource {
  private final SnapshotHolder snapshots;

  public ModelsResource(SnapshotHolder snapshots) {
    this.snapshots = snapshots;
  }

  @GET
  public ModelList list() {
    GatewaySnapshot snapshot = requireSnapshot();
    List<ModelInfo> data = new ArrayList<>();
    for (ModelRoute route : snapshot.table().routes()) {
      data.add(ModelInfo.of(route.id(), snapshot.loadedAtEpochSecond(), route.ownedBy()));
    }
    return ModelList.of(data);
  }

  @GET
  @Path("{id: .+}")
  public ModelInfo get(@PathParam("id") String id) {
    GatewaySnapshot snapshot = requireSnapshot();
    ModelRoute route = snapshot.table().find(id);
    if (route == null) {
      throw new GatewayException(404, OpenAiError.modelNotFound(id));
    }
    return ModelInfo.of(route.id(), snapshot.loadedAtEpochSecond(), route.ownedBy());
  }

  private GatewaySnapshot requireSnapshot() {
    GatewaySnapshot snapshot = snapshots.current();
    if (snapshot == null) {
      throw new GatewayException(503, OpenAiError.notConfigured(snapshots.problem()));
    }
    return snapshot;
  }
}
