package dev.llmproxy.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.ErrorAction;
import dev.llmproxy.config.GatewayConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RoutePlanTest {
  private final MutableClock clock = new MutableClock();
  private final RoutingState state = new RoutingState(clock);

  private static final UpstreamFailure SERVER_ERROR = failure(FailureKind.TRANSIENT, 500, null);
  private static final UpstreamFailure BAD_REQUEST = failure(FailureKind.REQUEST_FAULT, 400, null);

  private static UpstreamFailure failure(FailureKind kind, int status, Duration retryAfter) {
    return new UpstreamFailure(kind, status, retryAfter, FailureDetail.of("HTTP " + status, null));
  }

  private GatewayConfig config;
  private RoutingTable table;

  private void configure(String yaml) {
    config = RoutingFixtures.config(yaml);
    table = RoutingTable.build(config);
  }

  private RoutePlan plan(String model) {
    return RoutePlan.create(table.find(model), table, config.routing(), RetryPolicy.of(config), state, false);
  }

  private static Attempt tryStep(PlanStep step) {
    return assertInstanceOf(PlanStep.Try.class, step).attempt();
  }

  private static String label(Attempt a) {
    return a.credential().entry().apiKey() + "/" + a.upstreamModel();
  }

  private static String pool(String extra) {
    return extra + """
        openai-compatibility:
          - name: p
            base-url: http://127.0.0.1:1/v1
            api-key-entries: [{api-key: k1}, {api-key: k2}]
            models:
              - {name: m1, alias: smart}
              - {name: m2, alias: smart}
              - {name: m3, alias: smart}
        """;
  }

  /** One provider with one key and one model, reachable as {@code solo}; {@code extra} goes on top. */
  private static String solo(String extra) {
    return extra + """
        openai-compatibility:
          - name: p
            base-url: http://127.0.0.1:1/v1
            api-key-entries: [{api-key: k1}]
            models: [{name: m, alias: solo}]
        """;
  }

  @Test
  void poolRotatesFairlyAcrossMembersAndKeys() {
    configure(pool(""));
    Map<String, Integer> firstChoice = new TreeMap<>();
    for (int i = 0; i < 300; i++) {
      RoutePlan plan = plan("smart");
      Attempt a = tryStep(plan.next());
      plan.onSuccess(a);
      firstChoice.merge(a.upstreamModel(), 1, Integer::sum);
      firstChoice.merge(a.credential().entry().apiKey(), 1, Integer::sum);
    }
    assertEquals(Map.of("m1", 100, "m2", 100, "m3", 100, "k1", 150, "k2", 150), firstChoice);
  }

  /** The first choices of {@code requests} successful requests for {@code model}, counted by label. */
  private Map<String, Integer> firstChoices(String model, int requests) {
    Map<String, Integer> chosen = new TreeMap<>();
    for (int i = 0; i < requests; i++) {
      RoutePlan plan = plan(model);
      Attempt a = tryStep(plan.next());
      plan.onSuccess(a);
      chosen.merge(label(a), 1, Integer::sum);
    }
    return chosen;
  }

  @Test
  void eachKeyRotatesItsOwnMembersSoEveryPairIsChosen() {
    configure("""
        openai-compatibility:
          - name: p
            base-url: http://127.0.0.1:1/v1
            api-key-entries: [{api-key: k1}, {api-key: k2}]
            models: [{name: m1, alias: duo}, {name: m2, alias: duo}]
        """);
    assertEquals(Map.of("k1/m1", 2, "k1/m2", 2, "k2/m1", 2, "k2/m2", 2), firstChoices("duo", 8),
        "with as many keys as members, keys and members moving in step paired each key with one member");
  }

  @Test
  void withinOneRequestEveryPairIsTriedOnce() {
    configure("""
        routing: {strategy: fill-first}
        openai-compatibility:
          - name: p
            base-url: http://127.0.0.1:1/v1
            api-key-entries: [{api-key: k1}, {api-key: k2}]
            models: [{name: m1, alias: duo}, {name: m2, alias: duo}]
        """);
    RoutePlan plan = plan("duo");
    Attempt first = tryStep(plan.next());
    plan.onFailure(first, failure(FailureKind.MODEL_GONE, 404, null));
    List<String> tried = new ArrayList<>(List.of(label(first)));
    for (PlanStep step = plan.next(); step instanceof PlanStep.Try t; step = plan.next()) {
      tried.add(label(t.attempt()));
      plan.onFailure(t.attempt(), SERVER_ERROR);
    }
    assertTrue(tried.contains("k2/" + first.upstreamModel()), "the member is tried on the other key too: " + tried);
    assertEquals(4, tried.size(), "every pair once: " + tried);
  }

  @Test
  void aCoolingPairDoesNotHideItsMemberOnTheOtherKey() {
    configure("""
        openai-compatibility:
          - name: p
            base-url: http://127.0.0.1:1/v1
            api-key-entries: [{api-key: k1}, {api-key: k2}]
            models: [{name: m1, alias: duo}, {name: m2, alias: duo}]
        """);
    RoutePlan first = plan("duo");
    Attempt cooled = tryStep(first.next());
    assertEquals("k1/m1", label(cooled));
    first.onFailure(cooled, failure(FailureKind.MODEL_GONE, 404, null));

    Map<String, Integer> chosen = firstChoices("duo", 8);
    assertFalse(chosen.containsKey("k1/m1"), "it cools: " + chosen);
    assertTrue(chosen.containsKey("k2/m1"), "m1 is still served on k2 (keys and members in step never chose it): "
        + chosen);
  }

  @Test
  void providersTakeTurnsInProportionToTheirKeys() {
    configure("""
        openai-compatibility:
          - name: a
            base-url: http://127.0.0.1:1/v1
            api-key-entries: [{api-key: ka1}, {api-key: ka2}]
            models: [{name: ma, alias: gpt}]
          - name: b
            base-url: http://127.0.0.1:2/v1
            api-key-entries: [{api-key: kb1}]
            models: [{name: mb, alias: gpt}]
        """);
    assertEquals(Map.of("ka1/ma", 4, "ka2/ma", 4, "kb1/mb", 4), firstChoices("gpt", 12),
        "every key is used: the second key of a was never chosen while a and b alternated");
  }

  @Test
  void weightsHoldAcrossProviders() {
    configure("""
        routing: {strategy: weighted-round-robin}
        openai-compatibility:
          - name: a
            base-url: http://127.0.0.1:1/v1
            api-key-entries: [{api-key: ka1, weight: 3}, {api-key: ka2, weight: 1}]
            models: [{name: ma, alias: gpt}]
          - name: b
            base-url: http://127.0.0.1:2/v1
            api-key-entries: [{api-key: kb1, weight: 2}]
            models: [{name: mb, alias: gpt}]
        """);
    assertEquals(Map.of("ka1/ma", 6, "ka2/ma", 2, "kb1/mb", 4), firstChoices("gpt", 12));
  }

  @Test
  void aHigherPriorityProviderGoesFirstAndTheOtherOnlyOnFailover() {
    configure("""
        openai-compatibility:
          - name: low
            base-url: http://127.0.0.1:1/v1
            api-key-entries: [{api-key: kl}]
            models: [{name: ml, alias: gpt}]
          - name: high
            base-url: http://127.0.0.1:2/v1
            priority: 5
            api-key-entries: [{api-key: kh1}, {api-key: kh2}]
            models: [{name: mh, alias: gpt}]
        """);
    assertEquals(Map.of("kh1/mh", 3, "kh2/mh", 3), firstChoices("gpt", 6));
    RoutePlan plan = plan("gpt");
    plan.onFailure(tryStep(plan.next()), SERVER_ERROR);
    plan.onFailure(tryStep(plan.next()), SERVER_ERROR);
    assertEquals("kl/ml", label(tryStep(plan.next())));
  }

  @Test
  void failingMemberFailsOverToNextMemberThenNextKeyAndIsSkippedWhileCooling() {
    configure(pool("routing: {pool-strategy: ordered, strategy: fill-first}\n"));
    RoutePlan plan = plan("smart");
    List<String> tried = new ArrayList<>();
    Attempt a = tryStep(plan.next());
    tried.add(label(a));
    assertFalse(plan.onFailure(a, SERVER_ERROR));
    a = tryStep(plan.next());
    tried.add(label(a));
    assertEquals(List.of("k1/m1", "k1/m2"), tried);

    Attempt next = tryStep(plan("smart").next());
    assertEquals("k1/m2", label(next), "m1 on k1 is cooling, so the next request starts at m2");
    clock.advance(Duration.ofSeconds(11));
    assertEquals("k1/m1", label(tryStep(plan("smart").next())), "the 10 s default cooldown is over");
  }

  @Test
  void requestFaultEndsAtOnceWithoutCooldown() {
    configure(pool("routing: {pool-strategy: ordered, strategy: fill-first}\n"));
    RoutePlan plan = plan("smart");
    Attempt a = tryStep(plan.next());
    assertTrue(plan.onFailure(a, BAD_REQUEST));
    assertEquals(400, plan.finalAnswer(BAD_REQUEST).status());
    assertEquals("k1/m1", label(tryStep(plan("smart").next())), "no cooldown recorded for a request fault");
  }

  @Test
  void continueRuleMovesPastARequestFaultWithoutCooling() {
    configure(pool("routing: {pool-strategy: ordered, strategy: fill-first}\n"));
    RoutePlan plan = plan("smart");
    Attempt a = tryStep(plan.next());
    assertFalse(plan.onFailure(a, BAD_REQUEST.withAction(ErrorAction.CONTINUE)), "a rule says try the next one");
    assertEquals("k1/m2", label(tryStep(plan.next())));
    assertEquals("k1/m1", label(tryStep(plan("smart").next())), "nothing cooled");
  }

  @Test
  void stopRuleEndsOnAServerErrorWithoutCooling() {
    configure(pool("routing: {pool-strategy: ordered, strategy: fill-first}\n"));
    RoutePlan plan = plan("smart");
    Attempt a = tryStep(plan.next());
    assertTrue(plan.onFailure(a, SERVER_ERROR.withAction(ErrorAction.STOP)));
    assertEquals(500, plan.finalAnswer(SERVER_ERROR).status());
    assertEquals("k1/m1", label(tryStep(plan("smart").next())), "nothing cooled");
  }

  @Test
  void cooldownRulesCoolEvenARequestFaultAndEvenWithCoolingDisabled() {
    configure(pool("disable-cooling: true\nrouting: {pool-strategy: ordered, strategy: fill-first}\n"));
    RoutePlan plan = plan("smart");
    assertTrue(plan.onFailure(tryStep(plan.next()), BAD_REQUEST.withAction(ErrorAction.STOP_AND_COOLDOWN)));
    assertEquals("k1/m2", label(tryStep(plan("smart").next())), "m1 on k1 cools although cooling is disabled");

    RoutePlan second = plan("smart");
    Attempt m2 = tryStep(second.next());
    assertFalse(second.onFailure(m2, BAD_REQUEST.withAction(ErrorAction.CONTINUE_AND_COOLDOWN)));
    assertEquals("k1/m3", label(tryStep(second.next())));
    clock.advance(Duration.ofSeconds(11));
    assertEquals("k1/m1", label(tryStep(plan("smart").next())), "as briefly as a transient failure");
  }

  /** Two providers serving {@code shared}: {@code primary} (priority {@code p}) and {@code fallback}. */
  private static String primaryAndFallback(int p) {
    return """
        openai-compatibility:
          - name: fallback
            base-url: http://127.0.0.1:1/v1
            api-key-entries: [{api-key: fb}]
            models: [{name: f, alias: shared}]
          - name: primary
            base-url: http://127.0.0.1:2/v1
            priority: %d
            api-key-entries: [{api-key: pr}]
            models: [{name: p, alias: shared}]
        """.formatted(p);
  }

  @Test
  void higherPriorityProvidersAreTriedFirstEveryTime() {
    configure(primaryAndFallback(10));
    for (int i = 0; i < 6; i++) {
      assertEquals("pr/p", label(tryStep(plan("shared").next())), "request " + i);
    }
    RoutePlan plan = plan("shared");
    plan.onFailure(tryStep(plan.next()), SERVER_ERROR);
    assertEquals("fb/f", label(tryStep(plan.next())), "the fallback when the primary fails");
    assertEquals("fb/f", label(tryStep(plan("shared").next())), "and while the primary cools down");
    clock.advance(Duration.ofSeconds(11));
    assertEquals("pr/p", label(tryStep(plan("shared").next())), "the primary again once it is back");
  }

  @Test
  void providersOfEqualPriorityKeepTakingTurns() {
    configure(primaryAndFallback(0));
    List<String> first = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      first.add(label(tryStep(plan("shared").next())));
    }
    assertEquals(2, first.stream().filter("pr/p"::equals).count(), first.toString());
  }

  @Test
  void everyCandidateCoolingGives429ModelCooldownWithSecondsLeft() {
    configure(solo(""));
    RoutePlan first = plan("solo");
    Attempt a = tryStep(first.next());
    first.onFailure(a, failure(FailureKind.RATE_LIMIT, 429, Duration.ofSeconds(7)));
    PlanStep.GiveUp lastFailure = assertInstanceOf(PlanStep.GiveUp.class, first.next());
    assertEquals(429, lastFailure.status());
    assertEquals(Duration.ofSeconds(7), lastFailure.retryAfter());

    clock.advance(Duration.ofSeconds(2));
    PlanStep.GiveUp cooling = assertInstanceOf(PlanStep.GiveUp.class, plan("solo").next());
    assertEquals(429, cooling.status());
    assertEquals(Duration.ofSeconds(5), cooling.retryAfter());
    PlanStep.Cooling reason = assertInstanceOf(PlanStep.Cooling.class, cooling.reason());
    assertEquals(PlanStep.Cause.RATE_LIMITED, reason.cause());
    assertEquals(5, reason.seconds());
  }

  @Test
  void everyCandidateCoolingAfterConnectFailuresIs503UnavailableNotARateLimit() {
    configure(solo(""));
    RoutePlan first = plan("solo");
    first.onFailure(tryStep(first.next()), failure(FailureKind.TRANSIENT, 502, null));
    PlanStep.GiveUp cooling = assertInstanceOf(PlanStep.GiveUp.class, plan("solo").next());
    assertEquals(503, cooling.status());
    assertEquals(PlanStep.Cause.UNAVAILABLE, assertInstanceOf(PlanStep.Cooling.class, cooling.reason()).cause());
    assertTrue(cooling.retryAfter() != null && !cooling.retryAfter().isNegative());
  }

  @Test
  void aRateLimitLongPastDoesNotMakeALaterOutageARateLimit() {
    configure(solo(""));
    RoutePlan first = plan("solo");
    first.onFailure(tryStep(first.next()), failure(FailureKind.RATE_LIMIT, 429, Duration.ofSeconds(20)));
    clock.advance(Duration.ofSeconds(21));
    RoutePlan second = plan("solo");
    second.onFailure(tryStep(second.next()), SERVER_ERROR);

    PlanStep.GiveUp cooling = assertInstanceOf(PlanStep.GiveUp.class, plan("solo").next());
    assertEquals(503, cooling.status(), "the key rests for its 500 now, not for the 429 before it");
    assertEquals(PlanStep.Cause.UNAVAILABLE, assertInstanceOf(PlanStep.Cooling.class, cooling.reason()).cause());
  }

  @Test
  void aRateLimitWithoutRetryAfterEndsWithTheRestTheGatewayGaveTheKey() {
    configure(solo("request-retry: 0\n"));
    RoutePlan plan = plan("solo");
    UpstreamFailure noHeader = failure(FailureKind.RATE_LIMIT, 429, null);
    plan.onFailure(tryStep(plan.next()), noHeader);

    PlanStep.GiveUp giveUp = assertInstanceOf(PlanStep.GiveUp.class, plan.next());
    assertEquals(429, giveUp.status());
    assertEquals(Duration.ofSeconds(1), giveUp.retryAfter(), "the first backoff step, which the key now rests");
  }

  @Test
  void theGatewaysOwnFullPoolNeverCoolsAKeyAndEndsAtOnce() {
    configure(pool("routing: {pool-strategy: ordered, strategy: fill-first}\n"));
    RoutePlan plan = plan("smart");
    Attempt a = tryStep(plan.next());
    assertTrue(plan.onFailure(a, failure(FailureKind.GATEWAY_BUSY, 503, Duration.ofSeconds(2))), "ends now");
    assertEquals(null, state.cooldowns().coolingUntil(a.credential(), a.upstreamModel()), "nothing cools");
    assertEquals("k1/m1", label(tryStep(plan("smart").next())), "the next request tries the same key");
  }

  @Test
  void rateLimitWaitsForRetryAfterWithinMaxRetryIntervalThenRetries() {
    configure(solo("""
        request-retry: 2
        max-retry-interval: 5s
        """));
    RoutePlan plan = plan("solo");
    Attempt a = tryStep(plan.next());
    plan.onFailure(a, failure(FailureKind.RATE_LIMIT, 429, Duration.ofSeconds(3)));
    PlanStep.Wait wait = assertInstanceOf(PlanStep.Wait.class, plan.next());
    assertEquals(Duration.ofSeconds(3).plus(RoutePlan.WAKE_UP_MARGIN), wait.delay());
    clock.advance(wait.delay());
    Attempt again = tryStep(plan.next());
    assertEquals("k1/m", label(again));
    plan.onFailure(again, failure(FailureKind.RATE_LIMIT, 429, Duration.ofSeconds(60)));
    PlanStep.GiveUp giveUp = assertInstanceOf(PlanStep.GiveUp.class, plan.next());
    assertEquals(429, giveUp.status(), "a 60 s wait exceeds max-retry-interval: answer now");
    assertEquals(2, plan.attempts());
  }

  @Test
  void rateLimitWithoutRetryAfterBacksOffExponentially() {
    configure(pool(""));
    Credential k = table.credentials(table.find("smart").members().get(0).provider()).get(0);
    Cooldowns c = state.cooldowns();
    assertEquals(Duration.ofSeconds(1), c.rateLimited(k, "m1", null, "test"));
    assertEquals(Duration.ofSeconds(2), c.rateLimited(k, "m1", null, "test"));
    assertEquals(Duration.ofSeconds(4), c.rateLimited(k, "m1", null, "test"));
    c.succeeded(k, "m1");
    assertEquals(Duration.ofSeconds(1), c.rateLimited(k, "m1", null, "test"), "a success resets the level");
    assertEquals(Duration.ofMinutes(30), Cooldowns.backoff(40));
  }

  @Test
  void keyFaultCoolsTheWholeKeyForEveryModel() {
    configure(pool("routing: {pool-strategy: ordered, strategy: fill-first}\n"));
    RoutePlan plan = plan("smart");
    Attempt a = tryStep(plan.next());
    plan.onFailure(a, failure(FailureKind.KEY_FAULT, 401, null));
    assertEquals("k2/m1", label(tryStep(plan.next())), "all members of k1 are skipped");
  }

  @Test
  void maxRetryCredentialsLimitsDistinctKeysPerRound() {
    configure(pool("max-retry-credentials: 1\nrouting: {pool-strategy: ordered, strategy: fill-first}\n"));
    RoutePlan plan = plan("smart");
    for (String expected : List.of("k1/m1", "k1/m2", "k1/m3")) {
      Attempt a = tryStep(plan.next());
      assertEquals(expected, label(a));
      plan.onFailure(a, SERVER_ERROR);
    }
    assertInstanceOf(PlanStep.GiveUp.class, plan.next());
  }

  @Test
  void disableCoolingRetriesImmediatelyButStillBounded() {
    configure(solo("""
        request-retry: 2
        disable-cooling: true
        """));
    RoutePlan plan = plan("solo");
    for (int i = 0; i < 3; i++) {
      plan.onFailure(tryStep(plan.next()), SERVER_ERROR);
    }
    assertEquals(500, assertInstanceOf(PlanStep.GiveUp.class, plan.next()).status());
    assertEquals(3, plan.attempts());
  }

  @Test
  void providerRequestRetryOverridesGlobal() {
    configure("""
        request-retry: 5
        disable-cooling: true
        openai-compatibility:
          - name: p
            request-retry: 0
            base-url: http://127.0.0.1:1/v1
            api-key-entries: [{api-key: k1}]
            models: [{name: m, alias: solo}]
        """);
    RoutePlan plan = plan("solo");
    plan.onFailure(tryStep(plan.next()), SERVER_ERROR);
    assertInstanceOf(PlanStep.GiveUp.class, plan.next());
    assertEquals(1, plan.attempts());
  }

  @Test
  void weightedRoundRobinIsSmoothAndSkipsWeightZero() {
    configure("""
        routing: {strategy: weighted-round-robin}
        openai-compatibility:
          - name: p
            base-url: http://127.0.0.1:1/v1
            api-key-entries: [{api-key: A, weight: 2}, {api-key: B, weight: 1}, {api-key: Z, weight: 0}]
            models: [{name: m, alias: solo}]
        """);
    List<String> picks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      picks.add(tryStep(plan("solo").next()).credential().entry().apiKey());
    }
    assertEquals(List.of("A", "B", "A", "A", "B", "A"), picks);
  }

  @Test
  void fillFirstStaysOnFirstHealthyKey() {
    configure(pool("routing: {strategy: fill-first, pool-strategy: ordered}\n"));
    for (int i = 0; i < 5; i++) {
      assertEquals("k1", tryStep(plan("smart").next()).credential().entry().apiKey());
    }
  }

  @Test
  void roundRobinAlternatesKeysForOneModel() {
    configure("""
        openai-compatibility:
          - name: p
            base-url: http://127.0.0.1:1/v1
            api-key-entries: [{api-key: k1}, {api-key: k2}, {api-key: k3}]
            models: [{name: m, alias: solo}]
        """);
    List<String> picks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      picks.add(tryStep(plan("solo").next()).credential().entry().apiKey());
    }
    assertEquals(List.of("k1", "k2", "k3", "k1", "k2", "k3"), picks);
  }
}
