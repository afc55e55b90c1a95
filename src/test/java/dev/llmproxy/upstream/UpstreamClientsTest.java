package dev.llmproxy.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.config.GatewayConfig;
import dev.llmproxy.config.OutboundProxy;
import dev.llmproxy.testing.Await;
import dev.llmproxy.testing.LogCapture;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.apache.hc.core5.reactor.IOReactorStatus;
import org.apache.hc.core5.util.TimeValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpstreamClientsTest {
  /** Closes retired pools on the calling thread (so the test sees it at once); schedules like any executor. */
  private final java.util.concurrent.ScheduledThreadPoolExecutor closer =
      new java.util.concurrent.ScheduledThreadPoolExecutor(1) {
        @Override
        public void execute(Runnable command) {
          command.run();
        }
      };
  private final UpstreamClients clients = new UpstreamClients(closer, closer);

  @AfterEach
  void closeAll() {
    clients.close();
    closer.shutdownNow();
  }

  private static GatewayConfig config(String proxyUrl) throws Exception {
    return new ConfigLoader(Map.<String, String>of()::get).parse("""
        openai-compatibility:
          - name: p
            base-url: http://127.0.0.1:1/v1
            api-key-entries: [{api-key: k, proxy-url: "%s"}]
            models: [{name: m}]
        """.formatted(proxyUrl), "test.yaml");
  }

  @Test
  void keysOnTheSameProxyShareOnePool() throws Exception {
    GatewayConfig c = config("socks5://127.0.0.1:1080");
    OutboundProxy proxy = c.effectiveProxy(c.providers().get(0).apiKeyEntries().get(0));
    UpstreamClients.Lease a = clients.lease(proxy, c.upstream());
    UpstreamClients.Lease b = clients.lease(OutboundProxy.parse("socks5://127.0.0.1:1080"), c.upstream());
    assertSame(a.client(), b.client());
    assertNotSame(a.client(), clients.lease(OutboundProxy.DIRECT, c.upstream()).client());
    assertEquals(2, clients.size());
  }

  @Test
  void aPoolDroppedByAReloadClosesOnlyAfterItsLastExchange() throws Exception {
    GatewayConfig before = config("socks5://127.0.0.1:1080");
    OutboundProxy oldProxy = before.effectiveProxy(before.providers().get(0).apiKeyEntries().get(0));
    UpstreamClients.Lease inFlight = clients.lease(oldProxy, before.upstream());

    clients.retainFor(config("socks5://127.0.0.1:1081"));
    assertNotEquals(IOReactorStatus.SHUT_DOWN, inFlight.client().getStatus(), "still serving its exchange");
    assertEquals(0, clients.size(), "but no longer offered to new exchanges");

    inFlight.release();
    inFlight.release();
    assertEquals(IOReactorStatus.SHUT_DOWN, inFlight.client().getStatus());
  }

  @Test
  void anExchangeStillOnTheOldConfigGetsAPoolThatClosesAfterIt() throws Exception {
    GatewayConfig before = config("socks5://127.0.0.1:1080");
    clients.retainFor(config("direct"));
    OutboundProxy oldProxy = before.effectiveProxy(before.providers().get(0).apiKeyEntries().get(0));
    UpstreamClients.Lease late = clients.lease(oldProxy, before.upstream());
    assertNotEquals(IOReactorStatus.SHUT_DOWN, late.client().getStatus());
    late.release();
    assertEquals(IOReactorStatus.SHUT_DOWN, late.client().getStatus());
  }

  @Test
  void aRetiredPoolClosesWithoutAnErrorLogged() throws Exception {
    GatewayConfig before = config("socks5://127.0.0.1:1080");
    clients.retainFor(config("direct"));
    OutboundProxy oldProxy = before.effectiveProxy(before.providers().get(0).apiKeyEntries().get(0));
    try (LogCapture log = LogCapture.quiet(Level.SEVERE)) {
      for (int i = 0; i < 5; i++) {
        UpstreamClients.Lease late = clients.lease(oldProxy, before.upstream());
        late.release();
        late.client().awaitShutdown(TimeValue.ofSeconds(5));
      }
      // Closed under its running reactor thread, HttpCore logs a ClosedSelectorException at SEVERE.
      assertEquals(List.of(), log.lines());
    }
  }

  @Test
  void retiredPoolsCloseOnTheirOwnThreadNeverOnTheGatewaysScheduler() throws Exception {
    java.util.concurrent.atomic.AtomicInteger ranOnScheduler = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ScheduledThreadPoolExecutor scheduler = new java.util.concurrent.ScheduledThreadPoolExecutor(1) {
      @Override
      public void execute(Runnable command) {
        ranOnScheduler.incrementAndGet();
        super.execute(command);
      }
    };
    UpstreamClients own = new UpstreamClients(scheduler);
    java.util.concurrent.CountDownLatch schedulerBusy = new java.util.concurrent.CountDownLatch(1);
    try {
      // The scheduler's only thread is taken: a close queued there, however it was submitted, could not run.
      scheduler.schedule(() -> {
        schedulerBusy.await();
        return null;
      }, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
      GatewayConfig before = config("socks5://127.0.0.1:1080");
      own.retainFor(config("direct"));
      OutboundProxy oldProxy = before.effectiveProxy(before.providers().get(0).apiKeyEntries().get(0));
      UpstreamClients.Lease late = own.lease(oldProxy, before.upstream());
      late.release();
      Await.until(java.time.Duration.ofSeconds(5), () -> late.client().getStatus() == IOReactorStatus.SHUT_DOWN,
          "the retired pool closed while the scheduler was busy");
      assertEquals(IOReactorStatus.SHUT_DOWN, late.client().getStatus());
      assertEquals(0, ranOnScheduler.get(), "a close that takes its full 5 s would stall every stream's flow control");
    } finally {
      schedulerBusy.countDown();
      own.close();
      scheduler.shutdownNow();
    }
  }

  @Test
  void poolsTheConfigStillUsesStayOpen() throws Exception {
    GatewayConfig c = config("direct");
    UpstreamClients.Lease lease = clients.lease(OutboundProxy.DIRECT, c.upstream());
    lease.release();
    clients.retainFor(c);
    assertNotEquals(IOReactorStatus.SHUT_DOWN, lease.client().getStatus());
    assertSame(lease.client(), clients.lease(OutboundProxy.DIRECT, c.upstream()).client());
  }

  /** A request through {@code lease}'s client to a local server that answers 200 "ok"; returns the status. */
  private static int get(UpstreamClients.Lease lease, int port) throws Exception {
    var request = org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.get("http://127.0.0.1:" + port + "/")
        .build();
    return lease.client().execute(request, null).get(10, java.util.concurrent.TimeUnit.SECONDS).getCode();
  }

  private static com.sun.net.httpserver.HttpServer okServer() throws Exception {
    var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, 2);
      exchange.getResponseBody().write("ok".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      exchange.close();
    });
    server.start();
    return server;
  }

  @Test
  void aPoolWhoseReactorWasShutDownIsReplacedAndServesTheNextRequest() throws Exception {
    GatewayConfig c = config("direct");
    var server = okServer();
    try (LogCapture log = new LogCapture()) {
      UpstreamClients.Lease first = clients.lease(OutboundProxy.DIRECT, c.upstream());
      assertEquals(200, get(first, server.getAddress().getPort()));
      first.release();
      // What an OutOfMemoryError on a reactor thread leaves: a client whose reactor is gone, still pooled.
      first.client().close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);

      UpstreamClients.Lease next = clients.lease(OutboundProxy.DIRECT, c.upstream());
      assertNotSame(first.client(), next.client());
      assertEquals(200, get(next, server.getAddress().getPort()));
      next.release();
      assertSame(next.client(), clients.lease(OutboundProxy.DIRECT, c.upstream()).client(), "replaced once");
      assertEquals(1, log.lines().stream().filter(l -> l.contains("lost its I/O reactor")).count());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anExchangeOnAReactorThatDiesIsFailedRatherThanLeftWaiting() throws Exception {
    GatewayConfig c = config("direct");
    UpstreamClients.Lease inFlight = clients.lease(OutboundProxy.DIRECT, c.upstream());
    var lost = new java.util.concurrent.atomic.AtomicReference<Exception>();
    inFlight.onLost(lost::set);
    inFlight.client().close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
    // No request follows: the sweep alone finds the dead reactor.
    Await.until(java.time.Duration.ofSeconds(5), () -> lost.get() != null, "the exchange was failed");
    assertEquals(org.apache.hc.core5.reactor.IOReactorShutdownException.class, lost.get().getClass());
    assertEquals(0, clients.size());
  }

  @Test
  void closingTellsEachExchangeInFlightThatTheGatewayIsStoppingBeforeItsClientCloses() throws Exception {
    GatewayConfig c = config("direct");
    UpstreamClients.Lease inFlight = clients.lease(OutboundProxy.DIRECT, c.upstream());
    UpstreamClients.Lease over = clients.lease(OutboundProxy.DIRECT, c.upstream());
    over.release();
    var told = new java.util.concurrent.atomic.AtomicReference<Exception>();
    var statusWhenTold = new java.util.concurrent.atomic.AtomicReference<IOReactorStatus>();
    inFlight.onLost(e -> {
      told.set(e);
      statusWhenTold.set(inFlight.client().getStatus());
    });
    over.onLost(e -> {
      throw new AssertionError("a released exchange is not told");
    });
    clients.close();
    assertEquals(GatewayStoppingException.class, told.get() == null ? null : told.get().getClass());
    assertTrue(java.util.EnumSet.of(IOReactorStatus.INACTIVE, IOReactorStatus.ACTIVE).contains(statusWhenTold.get()),
        "told before the close cancels it: " + statusWhenTold.get());
  }
}
