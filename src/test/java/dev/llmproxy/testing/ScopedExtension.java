package dev.llmproxy.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A harness component usable with {@code @RegisterExtension}: JUnit's four lifecycle callbacks, all
 * handed to the component's {@link ExtensionScope}, which decides when it starts, resets and stops.
 */
interface ScopedExtension extends BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

  ExtensionScope scope();

  @Override
  default void beforeAll(ExtensionContext context) {
    scope().beforeAll();
  }

  @Override
  default void beforeEach(ExtensionContext context) {
    scope().beforeEach();
  }

  @Override
  default void afterEach(ExtensionContext context) {
    scope().afterEach();
  }

  @Override
  default void afterAll(ExtensionContext context) {
    scope().afterAll();
  }
}
