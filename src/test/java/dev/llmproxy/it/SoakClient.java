package dev.llmproxy.it;

import dev.llmproxy.testing.RawClient;
import dev.llmproxy.testing.RawResponse;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * Plays one {@link SoakScenario} against the gateway on a fresh connection and says how it went. A client
 * that reads waits at most {@link #READ_DEADLINE} for the whole response (the worst plan, three stalls
 * beyond the gateway's read timeout, takes a fraction of it); one that does not read leaves on purpose.
 * Stateless apart from the port; one call per thread at a time.
 */
final class SoakClient {
  /** How long a reading client waits for its whole response; beyond it, the request hung. */
  static final Duration READ_DEADLINE = Duration.ofSeconds(40);
  /** Longest silence a reading client accepts between two reads. */
  private static final Duration READ_SILENCE = Duration.ofSeconds(20);

  /** How one request ended, from the client's side. */
  enum Ending { ANSWERED, WRONG_ANSWER, HUNG, LEFT, CONNECT_FAILED }

  /** What happened, with the response or the reason when something went wrong. */
  record Result(SoakScenario scenario, Ending ending, String detail) {
    boolean isProblem() {
      return ending == Ending.WRONG_ANSWER || ending == Ending.HUNG || ending == Ending.CONNECT_FAILED;
    }

    @Override
    public String toString() {
      return ending + ": " + scenario + (detail == null ? "" : " -> " + detail);
    }
  }

  private final int port;
  private final SoakTrail trail;

  SoakClient(int port, SoakTrail trail) {
    this.port = port;
    this.trail = trail;
  }

  Result run(SoakScenario scenario) {
    SoakScenario.Behaviour behaviour = scenario.behaviour();
    boolean reads = behaviour == SoakScenario.Behaviour.READ || behaviour == SoakScenario.Behaviour.SLOW_READ;
    RawClient client;
    try {
      // A small receive buffer makes a client that does not keep up fill its window fast.
      client = RawClient.connect(port, reads && behaviour == SoakScenario.Behaviour.READ ? 0 : 4096);
    } catch (IOException e) {
      return new Result(scenario, Ending.CONNECT_FAILED, e.toString());
    }
    try {
      return reads ? read(client, scenario) : leave(client, scenario);
    } finally {
      try {
        client.close();
      } catch (IOException ignored) {
        // closed already
      }
    }
  }

  private Result read(RawClient client, SoakScenario scenario) {
    boolean slow = scenario.behaviour() == SoakScenario.Behaviour.SLOW_READ;
    try {
      client.send(scenario.request(), new byte[0]);
      client.readTimeout(READ_SILENCE);
      RawResponse response = slow ? client.readToEnd(READ_DEADLINE, 1024, Duration.ofMillis(2))
          : client.readToEnd(READ_DEADLINE, 16 * 1024, Duration.ZERO);
      String problem = scenario.problemWith(response, trail.keys(scenario.name()));
      return problem == null ? new Result(scenario, Ending.ANSWERED, null)
          : new Result(scenario, Ending.WRONG_ANSWER, problem + " (" + trail.of(scenario.name()) + "); got "
              + response);
    } catch (SocketTimeoutException e) {
      return new Result(scenario, Ending.HUNG, e.getMessage());
    } catch (IOException e) {
      return new Result(scenario, Ending.WRONG_ANSWER, "connection failed: " + e);
    }
  }

  /** A client that never reads, or vanishes at the scenario's moment; whatever the server does meanwhile. */
  private static Result leave(RawClient client, SoakScenario scenario) {
    try {
      String request = scenario.request();
      if (scenario.behaviour() == SoakScenario.Behaviour.VANISH
          && scenario.moment() == SoakScenario.Moment.MID_REQUEST) {
        byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
        client.send("", Arrays.copyOf(bytes, bytes.length - 20));
        pause(50);
      } else {
        client.send(request, new byte[0]);
        if (scenario.behaviour() == SoakScenario.Behaviour.NEVER_READ) {
          pause(scenario.holdMillis());
        } else {
          vanishAt(client, scenario);
        }
      }
      if (scenario.reset()) {
        client.abort();
      } else {
        client.close();
      }
    } catch (IOException e) {
      // The server finished or closed first: the client left all the same.
    }
    return new Result(scenario, Ending.LEFT, null);
  }

  private static void vanishAt(RawClient client, SoakScenario scenario) throws IOException {
    switch (scenario.moment()) {
      case AFTER_HEAD -> client.readUntil("\r\n\r\n", 1);
      case MID_RESPONSE -> client.readAtLeast(scenario.vanishAfterBytes());
      case AFTER_DELAY -> pause(scenario.holdMillis() / 2);
      default -> { } // right after the request
    }
  }

  private static void pause(int millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
