package dev.llmproxy.error;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything else thrown in a Jersey resource. Framework errors (404, 405, 415...) keep their status
 * with an OpenAI-shaped body; our own bugs are logged once with a correlation id and the client gets
 * only that id, never the exception text.
 */
@Provider
public final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

  @Override
  public Response toResponse(Throwable e) {
    if (e instanceof WebApplicationException wae && wae.getResponse().hasEntity()) {
      return wae.getResponse(); // a resource built the error body itself (another dialect's envelope)
    }
    if (e instanceof WebApplicationException wae) {
      int status = wae.getResponse().getStatus();
      Response.Status known = Response.Status.fromStatusCode(status);
      String allow = wae.getResponse().getHeaderString("Allow");
      String message = known == null ? "HTTP " + status : known.getReasonPhrase();
      if (status == 405 && allow != null) {
        message = "Method not allowed; this path allows " + allow + ".";
      }
      OpenAiError error = new OpenAiError(message, status >= 500 ? ErrorType.SERVER : ErrorType.INVALID_REQUEST, null,
          known == null ? null : known.name().toLowerCase(Locale.ROOT));
      Response.ResponseBuilder answer = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
          .entity(ErrorResponses.toJson(error));
      if (allow != null) {
        answer.header("Allow", allow); // what a 405 must say
      }
      return answer.build();
    }
    String id = Long.toHexString(ThreadLocalRandom.current().nextLong());
    LOG.error("Unexpected error, correlation id {}", id, e);
    return Response.status(500).type(MediaType.APPLICATION_JSON_TYPE)
        .entity(ErrorResponses.toJson(OpenAiError.internal(id))).build();
  }
}
