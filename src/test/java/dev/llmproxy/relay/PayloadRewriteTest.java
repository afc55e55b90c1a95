package dev.llmproxy.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.dialect.ClientCall;
import dev.llmproxy.dialect.UpstreamCall;
import dev.llmproxy.payload.PayloadRules;
import dev.llmproxy.routing.PoolMember;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rewrite wraps a call without hiding what the wrapped call does besides its upstream body. */
class PayloadRewriteTest {
  private static PayloadRules rules() throws Exception {
    return new ConfigLoader(Map.<String, String>of()::get).parse("""
        payload:
          override:
            - models: [{name: "*"}]
              params: {seed: 1}
        """, "payload.yaml").payload();
  }

  /** A call named {@code model} whose reasoning-effort variant is named after the effort. */
  private record Named(String model) implements ClientCall {
    @Override
    public boolean stream() {
      return false;
    }

    @Override
    public byte[] localAnswer() {
      return model.getBytes();
    }

    @Override
    public ClientCall withReasoningEffort(String effort) {
      return new Named(model + "(" + effort + ")");
    }

    @Override
    public UpstreamCall upstreamCall(PoolMember member, String upstreamModel) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void whatTheWrappedCallAnswersItselfPassesThroughAndItsVariantsAreRewrittenToo() throws Exception {
    ClientCall wrapped = PayloadRewrite.of(new Named("m"), rules(), "m", "anthropic", Map.of());

    assertArrayEquals("m".getBytes(), wrapped.localAnswer());
    ClientCall effort = wrapped.withReasoningEffort("high");
    assertInstanceOf(PayloadRewrite.class, effort, "the variant still gets the rules");
    assertEquals("m(high)", effort.model());
    assertSame(wrapped, wrapped.reportingUsage(), "the wrapped call's own answer: itself");
  }
}
