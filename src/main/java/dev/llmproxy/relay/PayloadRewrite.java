package dev.llmproxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.ClientCall;
import dev.llmproxy.dialect.JsonRequests;
import dev.llmproxy.dialect.JsonTrees;
import dev.llmproxy.dialect.UpstreamCall;
import dev.llmproxy.error.GatewayException;
import dev.llmproxy.payload.PayloadRequest;
import dev.llmproxy.payload.PayloadRules;
import dev.llmproxy.routing.PoolMember;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A request's calls with the {@code payload} rules applied to each attempt's body, after everything else the gateway
 * does to it: the rules see the model each attempt asks for. A body no rule can apply to goes as it is, unread;
 * one that some rule may change is read into a tree, changed and written again. Immutable.
 */
final class PayloadRewrite implements ClientCall {
  private final ClientCall call;
  private final PayloadRules rules;
  private final String configuredModel;
  private final String fromProtocol;
  private final Map<String, String> clientHeaders;

  private PayloadRewrite(ClientCall call, PayloadRules rules, String configuredModel, String fromProtocol,
      Map<String, String> clientHeaders) {
    this.call = call;
    this.rules = rules;
    this.configuredModel = configuredModel;
    this.fromProtocol = fromProtocol;
    this.clientHeaders = clientHeaders;
  }

  /**
   * {@code call} with {@code rules} applied to what it sends; {@code call} itself when there are none.
   *
   * @param configuredModel the configured model the client named (the route's id)
   * @param dialect the client dialect's name ({@link dev.llmproxy.dialect.ClientDialect#name})
   * @param clientHeaders the client headers captured with the request, which include those the rules ask about
   */
  static ClientCall of(ClientCall call, PayloadRules rules, String configuredModel, String dialect,
      Map<String, String> clientHeaders) {
    if (rules.isEmpty()) {
      return call;
    }
    return new PayloadRewrite(call, rules, configuredModel, dialect.equals("anthropic") ? "claude" : dialect,
        clientHeaders);
  }

  @Override
  public String model() {
    return call.model();
  }

  @Override
  public boolean stream() {
    return call.stream();
  }

  // The rest of the call as the wrapped one answers it: a default here would quietly drop what it does.

  @Override
  public byte[] localAnswer() {
    return call.localAnswer();
  }

  @Override
  public void checkRoute(List<PoolMember> members) {
    call.checkRoute(members);
  }

  @Override
  public ClientCall reportingUsage() {
    return rewrap(call.reportingUsage());
  }

  @Override
  public ClientCall withReasoningEffort(String effort) {
    return rewrap(call.withReasoningEffort(effort));
  }

  private ClientCall rewrap(ClientCall changed) {
    return changed == call ? this : new PayloadRewrite(changed, rules, configuredModel, fromProtocol, clientHeaders);
  }

  @Override
  public UpstreamCall upstreamCall(PoolMember member, String upstreamModel) {
    UpstreamCall upstream = call.upstreamCall(member, upstreamModel);
    PayloadRequest request = new PayloadRequest(models(upstreamModel), fromProtocol, clientHeaders::get);
    if (!rules.mayApply(request)) {
      return upstream;
    }
    JsonNode body;
    try {
      body = JsonRequests.parseObject(upstream.body());
    } catch (GatewayException e) {
      return upstream; // a body that is no JSON object (never one the gateway made): nothing to apply rules to
    }
    if (!rules.apply((ObjectNode) body, request)) {
      return upstream;
    }
    return new UpstreamCall(upstream.path(), JsonTrees.bytes(body), upstream.stream(), upstream.protocol(),
        upstream.answer());
  }

  /** What a rule's model names are matched against: see {@link PayloadRequest#models}. */
  private List<String> models(String upstreamModel) {
    List<String> models = new ArrayList<>(3);
    models.add(upstreamModel);
    if (!configuredModel.equalsIgnoreCase(upstreamModel)) {
      models.add(configuredModel);
    }
    if (!call.model().equalsIgnoreCase(configuredModel)) {
      models.add(call.model());
    }
    return models;
  }
}
