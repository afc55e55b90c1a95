package dev.llmproxy.error;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Jersey side of the error contract: a {@link GatewayException} becomes its status and OpenAI body. */
@Provider
public final class GatewayExceptionMapper implements ExceptionMapper<GatewayException> {
  @Override
  public Response toResponse(GatewayException e) {
    return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorResponses.toJson(e.error())).build();
  }
}
