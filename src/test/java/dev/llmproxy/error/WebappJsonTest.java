package dev.llmproxy.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebappJsonTest {
  @Test
  void recyclesBuffersWithoutThreadLocals() {
    assertFalse(WebappJson.newFactory()._getRecyclerPool() instanceof JsonRecyclerPools.ThreadLocalPool,
        "a thread-local pool would pin the WAR's class loader in the container's threads after undeploy");
    assertFalse(WebappJson.newMapper().getFactory()._getRecyclerPool() instanceof JsonRecyclerPools.ThreadLocalPool);
  }

  @Test
  void mapperStillWritesJson() throws Exception {
    assertEquals("{\"a\":1}", WebappJson.newMapper().writeValueAsString(Map.of("a", 1)));
  }
}
