package dev.llmproxy.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.llmproxy.config.GatewayConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code routing.session-affinity} in the route plan: a session's requests go where its last answer came from. */
class SessionAffinityTest {
  private static final String POOL = """
      openai-compatibility:
        - name: low
          base-url: http://127.0.0.1:1/v1
          api-key-entries: [{api-key: k1}, {api-key: k2}, {api-key: k3}]
          models:
            - {name: m1, alias: smart}
            - {name: m2, alias: smart}
        - name: high
          priority: 1
          base-url: http://127.0.0.1:2/v1
          api-key-entries: [{api-key: h1}]
          models: [{name: m9, alias: smart}]
      """;
  private static final UpstreamFailure SERVER_ERROR = new UpstreamFailure(FailureKind.TRANSIENT, 500, null,
      FailureDetail.of("HTTP 500", null));

  private final MutableClock clock = new MutableClock();
  private final RoutingState state = new RoutingState(clock);
  private GatewayConfig config;
  private RoutingTable table;

  private void configure(String routing) {
    config = RoutingFixtures.config(routing + POOL);
    table = RoutingTable.build(config);
  }

  private RoutePlan plan(ClientSession session) {
    return RoutePlan.create(table.find("smart"), table, config.routing(), RetryPolicy.of(config), state, false,
        session);
  }

  /** Takes the higher-priority provider's only key out for two hours: the low provider's three keys take turns. */
  private void coolHighProvider() {
    coolHighProvider(java.time.Duration.ofHours(2));
  }

  private void coolHighProvider(java.time.Duration duration) {
    ModelRoute route = table.find("smart");
    Credential high = table.credentials(route.members().stream().filter(m -> m.provider().name().equals("high"))
        .findFirst().orElseThrow().provider()).get(0);
    state.cooldowns().coolKey(high, duration, "test");
  }

  private static String label(Attempt a) {
    return a.credential().entry().apiKey() + "/" + a.upstreamModel();
  }

  /** Plans a request of {@code session} and answers it with its first attempt; returns where it went. */
  private String answered(ClientSession session) {
    RoutePlan plan = plan(session);
    Attempt a = assertInstanceOf(PlanStep.Try.class, plan.next()).attempt();
    plan.onSuccess(a);
    return label(a);
  }

  @Test
  void aSessionStaysWhereItsFirstAnswerCameFromWhileOthersRotate() {
    configure("routing: {session-affinity: true}\n");
    // Its first request goes where the order says: the higher-priority provider.
    ClientSession session = new ClientSession("header:s1", null);
    String first = answered(session);
    assertEquals("h1/m9", first);
    // The binding outranks priority once the session is bound elsewhere: cool h1, answer from the low provider.
    coolHighProvider(java.time.Duration.ofSeconds(5));
    String moved = answered(session);
    clock.advance(java.time.Duration.ofSeconds(10)); // h1 is back
    List<String> next = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      next.add(answered(session));
    }
    assertEquals(List.of(moved, moved, moved, moved, moved), next, "h1 recovered; the session stays on " + moved);

    List<String> others = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      others.add(answered(null));
    }
    assertEquals(List.of("h1/m9", "h1/m9"), others, "requests without a session follow priority");
  }

  @Test
  void aFailingBoundAttemptFailsOverAndTheSessionMovesWithTheAnswer() {
    configure("routing: {session-affinity: true}\n");
    ClientSession session = new ClientSession("header:s2", null);
    String bound = answered(session);

    RoutePlan plan = plan(session);
    Attempt first = assertInstanceOf(PlanStep.Try.class, plan.next()).attempt();
    assertEquals(bound, label(first));
    plan.onFailure(first, SERVER_ERROR);
    Attempt second = assertInstanceOf(PlanStep.Try.class, plan.next()).attempt();
    assertEquals(AffinityOutcome.MOVED, plan.onSuccess(second));

    clock.advance(java.time.Duration.ofMinutes(1)); // the failed one no longer cools
    RoutePlan again = plan(session);
    Attempt kept = assertInstanceOf(PlanStep.Try.class, again.next()).attempt();
    assertEquals(label(second), label(kept));
    assertEquals(AffinityOutcome.KEPT, again.onSuccess(kept));
    RoutePlan fresh = plan(new ClientSession("header:another", null));
    assertEquals(AffinityOutcome.NEW, fresh.onSuccess(assertInstanceOf(PlanStep.Try.class, fresh.next()).attempt()));
    RoutePlan none = plan(null);
    assertEquals(null, none.onSuccess(assertInstanceOf(PlanStep.Try.class, none.next()).attempt()));
  }

  @Test
  void anEarlierIdFindsTheSessionsBindingAndTheNewIdIsBoundToo() {
    configure("routing: {session-affinity: true, strategy: round-robin}\n");
    coolHighProvider(); // the low provider's three keys take turns
    String turn1 = answered(new ClientSession("conversation:c", null));
    answered(null);
    String turn2 = answered(new ClientSession("cache:k", "conversation:c"));
    answered(null);
    String turn3 = answered(new ClientSession("cache:k", "conversation:c"));

    assertEquals(List.of(turn1, turn1), List.of(turn2, turn3));
  }

  @Test
  void aBindingLapsesAfterItsTimeToLive() {
    configure("routing: {session-affinity: true, session-affinity-ttl: 30s}\n");
    ClientSession session = new ClientSession("header:s3", null);
    coolHighProvider();
    String bound = answered(session).substring(0, 2);
    String other = answered(null).substring(0, 2);
    clock.advance(java.time.Duration.ofSeconds(31));
    String lapsed = answered(session).substring(0, 2);

    assertEquals(List.of("k1", "k2", "k3"), List.of(bound, other, lapsed), "the lapsed binding no longer holds the "
        + "session to k1: it goes where the rotation says");
  }

  @Test
  void withoutAffinityASessionIsIgnored() {
    configure("");
    ClientSession session = new ClientSession("header:s4", null);
    coolHighProvider();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      keys.add(answered(session).substring(0, 2));
    }

    assertEquals(3, keys.stream().distinct().count(), keys.toString());
    assertEquals(0, state.sessions().size());
  }
}
