package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.auth.ClientIdentity;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageLedgerTest {
  @Test
  void countsPerClientAndModelWithTokensOfAnswersThatReportedThem() {
    UsageLedger ledger = new UsageLedger(Clock.systemUTC());
    ClientIdentity alice = ClientIdentity.user("alice");
    ClientIdentity key = ClientIdentity.apiKey("sk-team-0123456789-abcd");
    ledger.record(alice, "gpt", UsageLedger.Outcome.SUCCEEDED, new TokenUsage(10, 5, 15));
    ledger.record(alice, "gpt", UsageLedger.Outcome.SUCCEEDED, null);
    ledger.record(alice, "gpt", UsageLedger.Outcome.FAILED, null);
    ledger.record(key, "gpt", UsageLedger.Outcome.CANCELLED, null);
    assertEquals(List.of(
        new UsageLedger.Row("key sk-t...abcd", "gpt", 1, 0, 0, 1, 0, 0, 0),
        new UsageLedger.Row("user alice", "gpt", 3, 2, 1, 0, 10, 5, 15)), ledger.snapshot());
    ledger.reset();
    assertEquals(List.of(), ledger.snapshot());
  }
}
