package dev.llmproxy.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import dev.llmproxy.config.GatewayConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionBindingsTest {
  private final MutableClock clock = new MutableClock();
  private final List<Attempt> attempts = attempts();

  private static List<Attempt> attempts() {
    GatewayConfig config = RoutingFixtures.config("""
        openai-compatibility:
          - name: p
            base-url: http://127.0.0.1:1/v1
            api-key-entries: [{api-key: k1}, {api-key: k2}]
            models: [{name: m1, alias: a}, {name: m2, alias: a}]
        """);
    RoutingTable table = RoutingTable.build(config);
    ModelRoute route = table.find("a");
    return table.credentials(route.members().get(0).provider()).stream()
        .flatMap(key -> route.members().stream().map(m -> new Attempt(key, m))).toList();
  }

  @Test
  void aBindingNamesItsAttemptUntilItHasNotBeenRenewedForItsTimeToLive() {
    SessionBindings bindings = new SessionBindings(clock);
    bindings.bind("a", "s", attempts.get(3), Duration.ofMinutes(1));

    clock.advance(Duration.ofSeconds(59));
    assertSame(attempts.get(3), bindings.bound("a", "s", attempts));
    assertNull(bindings.bound("other-route", "s", attempts), "per configured model");
    bindings.bind("a", "s", attempts.get(3), Duration.ofMinutes(1));
    clock.advance(Duration.ofSeconds(59));
    assertSame(attempts.get(3), bindings.bound("a", "s", attempts), "renewed by the last answer");
    clock.advance(Duration.ofSeconds(1));
    assertNull(bindings.bound("a", "s", attempts));
    assertEquals(0, bindings.size(), "a lapsed binding is dropped when met");
  }

  @Test
  void aBindingToAnAttemptNoLongerConfiguredNamesNone() {
    SessionBindings bindings = new SessionBindings(clock);
    bindings.bind("a", "s", attempts.get(0), Duration.ofMinutes(1));

    assertNull(bindings.bound("a", "s", attempts.subList(1, 4)));
  }

  @Test
  void beyondItsCapacityTheLeastRecentlyUsedBindingGoes() {
    SessionBindings bindings = new SessionBindings(clock, 2);
    bindings.bind("a", "s1", attempts.get(0), Duration.ofMinutes(1));
    bindings.bind("a", "s2", attempts.get(1), Duration.ofMinutes(1));
    bindings.bound("a", "s1", attempts);
    bindings.bind("a", "s3", attempts.get(2), Duration.ofMinutes(1));

    assertEquals(2, bindings.size());
    assertSame(attempts.get(0), bindings.bound("a", "s1", attempts));
    assertNull(bindings.bound("a", "s2", attempts), "the least recently used");
    assertSame(attempts.get(2), bindings.bound("a", "s3", attempts));
  }

  @Test
  void aBindingIsAnnouncedWhenNewOrMovedAndAgainEveryHalfTimeToLive() {
    SessionBindings bindings = new SessionBindings(clock);
    List<String> announced = new ArrayList<>();
    bindings.shareWith((key, credential, model, ttl) -> announced.add(model + " " + ttl.toSeconds()));

    bindings.bind("a", "s", attempts.get(0), Duration.ofMinutes(1));
    clock.advance(Duration.ofSeconds(29));
    bindings.bind("a", "s", attempts.get(0), Duration.ofMinutes(1));
    assertEquals(List.of("m1 60"), announced, "renewed within half its life: not again");
    clock.advance(Duration.ofSeconds(1));
    bindings.bind("a", "s", attempts.get(0), Duration.ofMinutes(1));
    bindings.bind("a", "s", attempts.get(1), Duration.ofMinutes(1));

    assertEquals(List.of("m1 60", "m1 60", "m2 60"), announced);
  }

  @Test
  void anAdoptedBindingIsServedAndNotAnnouncedAgain() {
    SessionBindings here = new SessionBindings(clock);
    SessionBindings there = new SessionBindings(clock);
    List<String> fromHere = new ArrayList<>();
    here.shareWith((key, credential, model, ttl) -> {
      fromHere.add(key);
      there.adopt(key, credential, model, ttl);
    });
    there.shareWith((key, credential, model, ttl) -> fail("an adopted binding is not announced"));

    here.bind("a", "s", attempts.get(2), Duration.ofMinutes(1));

    assertSame(attempts.get(2), there.bound("a", "s", attempts));
    assertEquals(1, fromHere.size());
    assertEquals(fromHere.get(0).length(), ("a" + "\n").length() + 32, "route and a 128-bit digest: " + fromHere);
  }
}
