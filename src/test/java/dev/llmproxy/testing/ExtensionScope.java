package dev.llmproxy.testing;

/**
 * Decides when a harness component registered with {@code @RegisterExtension} starts, resets and stops.
 *
 * <ul>
 *   <li>A {@code static} field is class-scoped: started before all tests, reset before each one, stopped after all.
 *       {@code @Nested} classes inherit it, so JUnit calls back once per nesting level; only the outermost level
 *       starts and stops.
 *   <li>An instance field is method-scoped: started before each test and stopped after it.
 * </ul>
 *
 * <p>JUnit calls extension callbacks from one thread per class at a time (no parallel execution is configured), but
 * the methods synchronize anyway so a misuse fails predictably.
 */
final class ExtensionScope {

  private final Runnable start;
  private final Runnable reset;
  private final Runnable stop;
  private int classDepth;
  private boolean methodScoped;

  ExtensionScope(Runnable start, Runnable reset, Runnable stop) {
    this.start = start;
    this.reset = reset;
    this.stop = stop;
  }

  synchronized void beforeAll() {
    if (classDepth++ == 0) {
      start.run();
    }
  }

  synchronized void beforeEach() {
    if (classDepth > 0) {
      reset.run();
    } else if (!methodScoped) {
      methodScoped = true;
      start.run();
    }
  }

  synchronized void afterEach() {
    if (methodScoped) {
      methodScoped = false;
      stop.run();
    }
  }

  synchronized void afterAll() {
    if (classDepth > 0 && --classDepth == 0) {
      stop.run();
    }
  }
}
