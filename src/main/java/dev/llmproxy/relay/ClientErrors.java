package dev.llmproxy.relay;

import dev.llmproxy.error.ClientError;
import dev.llmproxy.error.ErrorType;
import dev.llmproxy.error.OpenAiError;
import dev.llmproxy.routing.FailureDetail;
import dev.llmproxy.routing.PlanStep;
import dev.llmproxy.routing.UpstreamFailure;

/**
 * Words what routing decided, for clients: a {@link PlanStep.GiveUp} or an {@link UpstreamFailure} becomes a
 * {@link ClientError}, which the client's dialect then renders. Stateless.
 */
final class ClientErrors {
  private ClientErrors() {}

  static ClientError of(PlanStep.GiveUp giveUp) {
    return new ClientError(giveUp.status(), toError(giveUp.reason()), giveUp.retryAfter());
  }

  private static OpenAiError toError(PlanStep.Reason reason) {
    if (reason instanceof PlanStep.NoKeys r) {
      return OpenAiError.upstreamUnavailable("no upstream key is configured for model " + r.model());
    }
    if (reason instanceof PlanStep.Cooling r) {
      return r.cause() == PlanStep.Cause.RATE_LIMITED ? OpenAiError.modelCooldown(r.model(), r.seconds())
          : new OpenAiError("Every upstream of model " + r.model() + " is unavailable right now (unreachable, "
              + "failing, or refusing the gateway's credentials); retry in " + r.seconds() + "s.",
              ErrorType.SERVICE_UNAVAILABLE, null, "upstream_unavailable");
    }
    return toError(((PlanStep.LastFailure) reason).failure());
  }

  static ClientError of(UpstreamFailure failure) {
    return new ClientError(failure.status(), toError(failure), failure.retryAfter());
  }

  private static OpenAiError toError(UpstreamFailure failure) {
    FailureDetail d = failure.detail();
    ErrorType type = typeFor(failure.status());
    String wireType = d.type() != null ? d.type() : type.wireName();
    return new OpenAiError(d.message(), type, d.param(), d.code(), wireType);
  }

  private static ErrorType typeFor(int status) {
    if (status == 401) {
      return ErrorType.AUTHENTICATION;
    }
    if (status == 403) {
      return ErrorType.PERMISSION;
    }
    if (status == 429) {
      return ErrorType.RATE_LIMIT;
    }
    if (status == 503) {
      return ErrorType.SERVICE_UNAVAILABLE;
    }
    return status >= 500 ? ErrorType.SERVER : ErrorType.INVALID_REQUEST;
  }
}
