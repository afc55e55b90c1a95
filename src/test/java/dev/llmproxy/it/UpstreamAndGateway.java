package dev.llmproxy.it;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The usual integration-test setup as one JUnit extension: a {@link FakeUpstream}, and the gateway webapp in a
 * {@link GatewayServer} whose {@code config.yaml} points at it. The upstream starts first and stops last. In a
 * {@code static} field both start once per class and the upstream is reset before each test; in an instance field
 * both start and stop around each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
 *     api-keys: ["team-key-1"]
 *     openai-compatibility:
 *       - name: p
 *         base-url: %s
 *         api-key-entries: [{api-key: k}]
 *         models: [{name: m}]
 *     """.formatted(upstream.baseUrl()));
 * static final FakeUpstream upstream = setup.upstream();
 * static final GatewayServer gateway = setup.gateway();
 * }</pre>
 *
 * Thread-safe as its parts are.
 */
public final class UpstreamAndGateway
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
  private final FakeUpstream upstream = new FakeUpstream();
  private final GatewayServer gateway;

  /** @param config the {@code config.yaml} text for the upstream, called once it runs (its port is known then) */
  public UpstreamAndGateway(Function<FakeUpstream, String> config) {
    this(gateway -> gateway, config);
  }

  /**
   * @param settings the gateway's other settings (a context path, say)
   * @param config the {@code config.yaml} text for the upstream, called once it runs (its port is known then)
   */
  public UpstreamAndGateway(UnaryOperator<GatewayServer.Builder> settings, Function<FakeUpstream, String> config) {
    this.gateway = settings.apply(GatewayServer.builder()).config(() -> config.apply(upstream)).build();
  }

  public FakeUpstream upstream() {
    return upstream;
  }

  public GatewayServer gateway() {
    return gateway;
  }

  /** A client of the gateway that sends {@link GatewayClient#CLIENT_KEY}. */
  public GatewayClient client() {
    return new GatewayClient(gateway);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    upstream.beforeAll(context);
    gateway.beforeAll(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    upstream.beforeEach(context);
    gateway.beforeEach(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      gateway.afterEach(context);
    } finally {
      upstream.afterEach(context);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      gateway.afterAll(context);
    } finally {
      upstream.afterAll(context);
    }
  }
}
