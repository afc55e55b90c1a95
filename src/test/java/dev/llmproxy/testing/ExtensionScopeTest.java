package dev.llmproxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExtensionScopeTest {

  private final List<String> calls = new ArrayList<>();
  private final ExtensionScope scope =
      new ExtensionScope(() -> calls.add("start"), () -> calls.add("reset"), () -> calls.add("stop"));

  @Test
  void staticFieldStartsOnceResetsPerTestAndStopsAfterTheOutermostClass() {
    scope.beforeAll();
    scope.beforeEach();
    scope.afterEach();
    scope.beforeAll(); // a @Nested class inherits the extension
    scope.beforeEach();
    scope.afterEach();
    scope.afterAll();
    scope.afterAll();

    assertEquals(List.of("start", "reset", "reset", "stop"), calls);
  }

  @Test
  void instanceFieldStartsAndStopsAroundEachTest() {
    scope.beforeEach();
    scope.afterEach();
    scope.beforeEach();
    scope.afterEach();

    assertEquals(List.of("start", "stop", "start", "stop"), calls);
  }
}
