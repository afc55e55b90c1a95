package dev.llmproxy.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.state.UsageRows.Key;
import dev.llmproxy.usage.UsageTotals;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Usage rows in a Redis hash and back, and the arithmetic between readings. */
class UsageRowsTest {
  private static final Key ALICE = new Key("user alice", "vendor/model:v2");
  private static final Key KEY = new Key("key sk-t...abcd", "(not routed)");

  @Test
  void severalInstancesHashesReadBackAsTheirSum() {
    Map<Key, UsageTotals> a = Map.of(ALICE, new UsageTotals(3, 2, 1, 0, 10, 5, 4, 2, 15, 2_000, 1));
    Map<Key, UsageTotals> b = Map.of(ALICE, new UsageTotals(1, 0, 0, 1, 1, 1, 0, 0, 2, 30, 1),
        KEY, new UsageTotals(1, 0, 1, 0, 0, 0, 0, 0, 0));
    List<Object> reply = new ArrayList<>(List.of("period 0"));
    reply.addAll(UsageRows.toFields(a));
    reply.addAll(UsageRows.toFields(b));
    reply.addAll(List.of("a field of another kind", "7"));

    assertEquals(UsageRows.plus(a, b), UsageRows.parse(reply, 1));
    assertEquals(new UsageTotals(4, 2, 1, 1, 11, 6, 4, 2, 17, 2_030, 2), UsageRows.parse(reply, 1).get(ALICE));
  }

  @Test
  void aLaterReadingMinusAnEarlierOneLeavesTheRowsThatMoved() {
    Map<Key, UsageTotals> earlier = Map.of(ALICE, new UsageTotals(1, 1, 0, 0, 10, 2, 0, 0, 12),
        KEY, new UsageTotals(1, 0, 1, 0, 0, 0, 0, 0, 0));
    Map<Key, UsageTotals> later = Map.of(ALICE, new UsageTotals(2, 2, 0, 0, 20, 4, 0, 0, 24),
        KEY, new UsageTotals(1, 0, 1, 0, 0, 0, 0, 0, 0));

    assertEquals(Map.of(ALICE, new UsageTotals(1, 1, 0, 0, 10, 2, 0, 0, 12)), UsageRows.minus(later, earlier));
    assertEquals(Map.of(ALICE, later.get(ALICE)), UsageRows.changed(later, earlier));
  }
}
