package dev.llmproxy.it;

import dev.llmproxy.testing.RawResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One request of the soak, drawn from a seeded {@link Random}: the dialect, streamed or not, the model
 * ({@value #STEADY}, whose keys never cool, or {@value #COOLING}), the upstream's plan (one {@link SoakFault}
 * per attempt) and what the client does. For a reading client of {@value #STEADY} the outcome follows from
 * the plan alone (the keys are tried in config order and never skipped), so it is checked exactly.
 * Immutable.
 *
 * @param vanishAfterBytes for {@link Behaviour#VANISH} at {@link Moment#MID_RESPONSE}: response bytes read first
 * @param holdMillis how long a client that does not read waits before it leaves
 * @param reset whether a departing client leaves with a TCP reset (else an orderly close)
 */
record SoakScenario(String name, SoakDialect dialect, boolean stream, String model, List<SoakFault> plan,
    Behaviour behaviour, Moment moment, int vanishAfterBytes, int holdMillis, boolean reset) {
  static final String STEADY = "steady";
  static final String COOLING = "cooling";
  /** Attempts a plan has: the steady provider's key count (one round, no retry). */
  static final int ATTEMPTS = 3;

  /** What the client does with its connection. */
  enum Behaviour { READ, SLOW_READ, NEVER_READ, VANISH }

  /** When a {@link Behaviour#VANISH} client leaves. */
  enum Moment { MID_REQUEST, AFTER_REQUEST, AFTER_HEAD, MID_RESPONSE, AFTER_DELAY }

  /** What a reading client must receive. */
  enum Expected {
    ANSWER, STREAM_FAILURE, ERROR,
    /** Cooling keys are skipped depending on timing: any well-formed outcome. */
    ANY
  }

  SoakScenario {
    plan = List.copyOf(plan);
  }

  static SoakScenario draw(String name, Random random) {
    SoakDialect dialect = SoakDialect.values()[random.nextInt(SoakDialect.values().length)];
    boolean stream = dialect == SoakDialect.GEMINI_ARRAY || random.nextInt(100) < 65;
    String model = random.nextInt(100) < 20 ? COOLING : STEADY;
    List<SoakFault> plan = new ArrayList<>();
    for (int i = 0; i < ATTEMPTS; i++) {
      plan.add(drawFault(random));
    }
    int b = random.nextInt(100);
    Behaviour behaviour = b < 45 ? Behaviour.READ : b < 60 ? Behaviour.SLOW_READ : b < 72 ? Behaviour.NEVER_READ
        : Behaviour.VANISH;
    Moment moment = Moment.values()[random.nextInt(Moment.values().length)];
    return new SoakScenario(name, dialect, stream, model, plan, behaviour, moment, 1 + random.nextInt(4000),
        random.nextInt(2500), random.nextInt(100) < 75);
  }

  /** Four in ten attempts answer; the rest fail in one of the ways providers do. */
  private static SoakFault drawFault(Random random) {
    int f = random.nextInt(100);
    if (f < 20) {
      return SoakFault.OK_SMALL;
    }
    if (f < 30) {
      return SoakFault.OK_PACED;
    }
    if (f < 40) {
      return SoakFault.OK_LARGE;
    }
    SoakFault[] faults = {SoakFault.RATE_LIMITED, SoakFault.SERVER_ERROR, SoakFault.BAD_REQUEST, SoakFault.CLOSE,
        SoakFault.STALL_HEAD, SoakFault.MALFORMED, SoakFault.MID_ERROR, SoakFault.ABORT, SoakFault.STALL_MID};
    return faults[(f - 40) * faults.length / 60];
  }

  /** The whole HTTP request; the prompt carries the plan for the fake upstream. */
  String request() {
    String prompt = SoakFault.PLAN_MARK + plan.stream().map(Enum::name).collect(Collectors.joining("/"))
        + SoakFault.REQUEST_MARK + name;
    return dialect.request(GatewayClient.CLIENT_KEY, model, stream, prompt);
  }

  /**
   * What a reading client must receive, given the upstream keys whose attempts of the request reached the upstream
   * ({@code steady-1}... in config order; a key's attempt may be repeated on a fresh connection). A stream cut
   * after its first events ({@link SoakFault#ABORT}) is the one fault with two right outcomes: usually the gateway
   * has relayed those events and ends the stream with an error, but when they reach it in the same read as the
   * cut (a busy machine reads late), HttpCore drops the chunks of that read with its "premature end of chunk coded
   * message body", nothing reached the client, and the gateway fails over. Which one happened shows in whether the
   * next key's attempt reached the upstream.
   */
  Expected expected(Set<String> keysSeen) {
    if (!STEADY.equals(model)) {
      return Expected.ANY;
    }
    for (int i = 0; i < plan.size(); i++) {
      SoakFault f = plan.get(i);
      if (f.answers()) {
        return Expected.ANSWER;
      }
      boolean failedOverUnseen = f == SoakFault.ABORT && keysSeen.contains(STEADY + "-" + (i + 2));
      if (f.breaksStartedStream(stream) && !failedOverUnseen) {
        return Expected.STREAM_FAILURE;
      }
      if (f.endsRequest()) {
        return Expected.ERROR;
      }
    }
    return Expected.ERROR;
  }

  /** What is wrong with the response a reading client received, or {@code null} when it is what the plan calls for. */
  String problemWith(RawResponse response, Set<String> keysSeen) {
    if (!response.isComplete()) {
      return "incomplete response";
    }
    String body = response.body();
    if (body.contains("internal_error") || body.contains("Internal gateway error")) {
      return "the gateway's unexpected-failure answer";
    }
    boolean answered = response.status() == 200 && isAnswer(body);
    boolean brokeOff = response.status() == 200 && stream && body.contains(dialect.streamFailure())
        && !body.contains(dialect.streamEnd());
    boolean refused = response.status() >= 400 && body.contains("error");
    Expected expected = expected(keysSeen);
    boolean ok = switch (expected) {
      case ANSWER -> answered;
      case STREAM_FAILURE -> brokeOff;
      case ERROR -> refused;
      case ANY -> answered || brokeOff || refused;
    };
    return ok ? null : "expected " + expected;
  }

  private boolean isAnswer(String body) {
    if (!body.contains(SoakFault.CONTENT.trim())) {
      return false;
    }
    return !stream || (body.contains(dialect.streamEnd()) && !body.contains(dialect.streamFailure()));
  }

  @Override
  public String toString() {
    return name + " " + dialect + (stream ? " stream" : " whole") + " model=" + model + " plan=" + plan + " client="
        + behaviour + (behaviour == Behaviour.VANISH ? "@" + moment : "");
  }
}
