package dev.llmproxy.it;

import static dev.llmproxy.testing.SseStep.abort;
import static dev.llmproxy.testing.SseStep.chunk;
import static dev.llmproxy.testing.SseStep.data;
import static dev.llmproxy.testing.SseStep.done;
import static dev.llmproxy.testing.SseStep.finish;
import static dev.llmproxy.testing.SseStep.send;
import static dev.llmproxy.testing.SseStep.sleep;
import static dev.llmproxy.testing.SseStep.stall;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.OpenAiBodies;
import dev.llmproxy.testing.SseStep;
import dev.llmproxy.testing.UpstreamResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the soak's fake upstream does with one attempt: answer (small, paced or large), or one of the
 * faults a provider shows in production. Each is played for a streamed and for a whole-JSON request; the
 * predicates say what the gateway must make of it. Immutable.
 */
enum SoakFault {
  OK_SMALL, OK_PACED, OK_LARGE,
  RATE_LIMITED, SERVER_ERROR, BAD_REQUEST, CLOSE, STALL_HEAD, MALFORMED,
  /** After two chunks: an error event (a whole-JSON request gets a 500). */
  MID_ERROR,
  /** After two chunks the connection is cut (a whole-JSON request: after half a body). */
  ABORT,
  /** After two chunks nothing more comes, beyond the read timeout (a whole-JSON request: after half a body). */
  STALL_MID;

  /** The text every answer carries, so a client can tell an answer from anything else. */
  static final String CONTENT = "soak-ok ";
  /**
   * How long a stream lingers before it is cut, so that what it sent is usually read first: events that reach
   * the gateway in the same read as the cut are dropped by HttpCore, the stream has not started and the gateway
   * fails over (on a busy machine that still happens; {@link SoakScenario#expected} allows for it).
   */
  static final Duration BEFORE_ABORT = Duration.ofMillis(200);
  /** Where the plan starts in a request body: {@code soak-plan:OK_SMALL/CLOSE/...;}. */
  static final String PLAN_MARK = "soak-plan:";
  /** What comes before the request's name, after the plan. */
  static final String REQUEST_MARK = "; request ";

  /** An answer, whole, that the client receives as a success. */
  boolean answers() {
    return this == OK_SMALL || this == OK_PACED || this == OK_LARGE;
  }

  /** A request fault: the gateway gives up at once, with no other key tried. */
  boolean endsRequest() {
    return this == BAD_REQUEST;
  }

  /** Breaks an answer that already reached the client: the stream ends with the dialect's error event. */
  boolean breaksStartedStream(boolean stream) {
    return stream && (this == MID_ERROR || this == ABORT || this == STALL_MID);
  }

  UpstreamResponse response(String model, boolean stream) {
    return stream ? streamed(model) : whole(model);
  }

  private UpstreamResponse streamed(String model) {
    return switch (this) {
      case OK_SMALL -> UpstreamResponse.sse(chunk(model, CONTENT), chunk(model, "and more"), finish(model), done());
      case OK_PACED -> UpstreamResponse.sse(paced(model, 10, Duration.ofMillis(30)));
      case OK_LARGE -> UpstreamResponse.sse(paced(model, 150, Duration.ZERO));
      case MALFORMED -> UpstreamResponse.sse(data("this is not json"), chunk(model, CONTENT), finish(model), done());
      case MID_ERROR -> UpstreamResponse.sse(chunk(model, CONTENT), chunk(model, "and"),
          data(OpenAiBodies.error("server_error", "soak: failed mid-stream", null)));
      case ABORT -> UpstreamResponse.sse(chunk(model, CONTENT), chunk(model, "and"), sleep(BEFORE_ABORT), abort());
      case STALL_MID -> UpstreamResponse.sse(chunk(model, CONTENT), chunk(model, "and"), stall());
      default -> failure();
    };
  }

  private UpstreamResponse whole(String model) {
    return switch (this) {
      case OK_SMALL, OK_PACED -> UpstreamResponse.json(OpenAiBodies.chatCompletion(model, CONTENT));
      case OK_LARGE -> UpstreamResponse.json(OpenAiBodies.chatCompletion(model, CONTENT + "x".repeat(200_000)));
      case MID_ERROR -> UpstreamResponse.error(500, "server_error", "soak: failed");
      case MALFORMED, ABORT -> halfBody(abort());
      case STALL_MID -> halfBody(stall());
      default -> failure();
    };
  }

  private UpstreamResponse failure() {
    return switch (this) {
      case RATE_LIMITED -> UpstreamResponse.rateLimited(Duration.ofSeconds(1));
      case SERVER_ERROR -> UpstreamResponse.error(503, "server_error", "soak: overloaded");
      case BAD_REQUEST -> UpstreamResponse.error(400, "invalid_request_error", "soak: refused");
      case CLOSE -> UpstreamResponse.closeWithoutResponse();
      case STALL_HEAD -> UpstreamResponse.stallBeforeHeaders();
      default -> throw new IllegalStateException(this + " has no plain failure");
    };
  }

  /** The request's name, written after the plan ({@code ...; request 3-7}). */
  private static String requestName(String body, int planEnd) {
    int at = body.indexOf(REQUEST_MARK, planEnd);
    if (at < 0) {
      return "?";
    }
    int from = at + REQUEST_MARK.length();
    int to = from;
    while (to < body.length() && (Character.isLetterOrDigit(body.charAt(to)) || body.charAt(to) == '-')) {
      to++;
    }
    return body.substring(from, to);
  }

  /** A 200 JSON answer that stops half-way: the upstream's stream player with a JSON content type. */
  private static UpstreamResponse halfBody(SseStep then) {
    return new UpstreamResponse.Sse(200, Map.of("Content-Type", "application/json"),
        List.of(send("{\"id\":\"chatcmpl-soak\",\"object\":\"chat.comp"), then));
  }

  private static List<SseStep> paced(String model, int chunks, Duration pause) {
    List<SseStep> steps = new ArrayList<>();
    String filler = pause.isZero() ? "x".repeat(1500) : "";
    for (int i = 0; i < chunks; i++) {
      steps.add(chunk(model, CONTENT + filler));
      if (!pause.isZero()) {
        steps.add(sleep(pause));
      }
    }
    steps.add(finish(model));
    steps.add(done());
    return steps;
  }

  /**
   * The soak's upstream: reads the plan the client wrote into its prompt and plays the entry of the key
   * the gateway chose (keys named {@code <provider>-<n>}, tried in config order, so entry n-1 is the
   * n-th attempt of a request). The responses never depend on how requests interleave; each attempt is noted
   * in {@code trail}.
   */
  static FakeUpstream.Responder responder(SoakTrail trail) {
    return request -> {
      String body = request.bodyText();
      int at = body.indexOf(PLAN_MARK);
      String key = request.bearerToken();
      if (at < 0 || key == null || key.lastIndexOf('-') < 0) {
        return UpstreamResponse.error(400, "invalid_request_error", "soak: no plan in the request");
      }
      int end = body.indexOf(';', at);
      trail.visit(requestName(body, end), key);
      String[] plan = body.substring(at + PLAN_MARK.length(), end).split("/");
      int attempt = Integer.parseInt(key.substring(key.lastIndexOf('-') + 1)) - 1;
      SoakFault fault = attempt < plan.length ? valueOf(plan[attempt]) : OK_SMALL;
      return fault.response(request.model(), request.isStream());
    };
  }
}
