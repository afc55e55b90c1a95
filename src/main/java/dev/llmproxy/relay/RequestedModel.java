package dev.llmproxy.relay;

import dev.llmproxy.api.ModelsResource;
import dev.llmproxy.auth.ClientIdentity;
import dev.llmproxy.dialect.ListedModel;
import dev.llmproxy.dialect.ThinkingSuffix;
import dev.llmproxy.error.GatewayException;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.routing.ModelRoute;
import java.util.List;

/**
 * The configured model a request names, as CLIProxyAPI reads its {@code model}: a configured id as is (an id that
 * itself ends in parentheses included); else {@code auto} as the first model the client may use, in the order of
 * its {@code /v1/models}; else {@code base(value)} as {@code base} with a {@link ThinkingSuffix}. Limits, metrics
 * and usage see the configured id, so a suffix gets round no allow-list. Immutable.
 *
 * @param route the configured model
 * @param suffix the thinking suffix the client added, or {@code null}
 */
public record RequestedModel(ModelRoute route, ThinkingSuffix suffix) {
  static final String AUTO = "auto";

  /** What {@code asSent} names for {@code client}, or {@code null} when it names no model it may be routed to. */
  public static RequestedModel resolve(GatewaySnapshot snapshot, ClientIdentity client, String asSent) {
    ModelRoute route = configured(snapshot, client, asSent);
    if (route != null) {
      return new RequestedModel(route, null);
    }
    ThinkingSuffix suffix = ThinkingSuffix.split(asSent);
    if (suffix == null) {
      return null;
    }
    route = configured(snapshot, client, suffix.base());
    return route == null ? null : new RequestedModel(route, suffix);
  }

  /** Whether a client may send this name as it is: no suffix, or a suffix whose value is one of those accepted. */
  public boolean acceptedAsSent() {
    if (suffix == null) {
      return true;
    }
    try {
      suffix.effort();
      return true;
    } catch (GatewayException notAnEffort) {
      return false;
    }
  }

  /** The route of the id {@code model}, or of the client's first model for an unconfigured {@code auto}. */
  private static ModelRoute configured(GatewaySnapshot snapshot, ClientIdentity client, String model) {
    ModelRoute route = snapshot.table().find(model);
    if (route != null || !AUTO.equals(model)) {
      return route;
    }
    List<ListedModel> listed = ModelsResource.listed(snapshot, client);
    return listed.isEmpty() ? null : snapshot.table().find(listed.get(0).id());
  }
}
