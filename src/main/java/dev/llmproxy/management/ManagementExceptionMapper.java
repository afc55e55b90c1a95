package dev.llmproxy.management;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns everything thrown by a management resource into the flat {@link ManagementErrorBody}: a
 * {@link ManagementException} as it says; a framework error (unknown route 404, 405, 415) with its
 * status and reason; anything else is our bug, logged once with a correlation id that is all the
 * client sees.
 */
final class ManagementExceptionMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementExceptionMapper.class);

  @Override
  public Response toResponse(Throwable e) {
    if (e instanceof ManagementException me) {
      return json(me.status(), ManagementErrorBody.of(me));
    }
    if (e instanceof WebApplicationException wae) {
      int status = wae.getResponse().getStatus();
      Response.StatusType type = Response.Status.fromStatusCode(status);
      String reason = type == null ? "http " + status : type.getReasonPhrase().toLowerCase(Locale.ROOT);
      return json(status, new ManagementErrorBody(reason, null, null));
    }
    String id = Long.toHexString(ThreadLocalRandom.current().nextLong());
    LOG.error("Unexpected management error, correlation id {}", id, e);
    return json(500, new ManagementErrorBody("internal error", "correlation id " + id, null));
  }

  private static Response json(int status, ManagementErrorBody body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store")
        .entity(body.toJson()).build();
  }
}
