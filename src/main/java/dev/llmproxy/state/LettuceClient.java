package dev.llmproxy.state;

import dev.llmproxy.config.RedisUrl;
import dev.llmproxy.config.StateConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lettuce's client for one Redis, configured for the gateway, with every thread it runs (all named {@code
 * llm-proxy-redis-*}: two for I/O, two for Lettuce's own work, one timer) and their bounded shutdown. Built on the
 * scheduler's thread: building Lettuce leaves a Netty thread-local on the building thread, which must not be a
 * container thread (the container would report it as a leak at undeploy). Thread-safe.
 */
final class LettuceClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LettuceClient.class);
  private static final Duration CLOSE_BOUND = Duration.ofSeconds(2);

  private final HashedWheelTimer timer;
  private final ClientResources resources;
  private final RedisClient client;
  private final RedisURI uri;
  private final EventExecutor dispatcher;

  private LettuceClient(HashedWheelTimer timer, ClientResources resources, RedisClient client, RedisURI uri) {
    this.timer = timer;
    this.resources = resources;
    this.client = client;
    this.uri = uri;
    this.dispatcher = resources.eventExecutorGroup().next();
  }

  /** Builds the client on {@code builder}'s thread (waiting for it); connects nothing yet. */
  static LettuceClient build(StateConfig state, ScheduledExecutorService builder) {
    try {
      return builder.submit(() -> {
        HashedWheelTimer timer = new HashedWheelTimer(new DefaultThreadFactory("llm-proxy-redis-timer", true));
        ClientResources resources = DefaultClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .threadFactoryProvider(pool ->
                new DefaultThreadFactory("llm-proxy-redis-" + pool.replace("lettuce-", ""), true))
            .timer(timer)
            .build();
        RedisURI uri = uri(state);
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(options(state));
        return new LettuceClient(timer, resources, client, uri);
      }).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the Redis client", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot build the Redis client", e);
    }
  }

  private static RedisURI uri(StateConfig state) {
    RedisUrl url = state.redis();
    // The URI's timeout bounds connecting (TLS handshake, AUTH, HELLO), which no request waits for; commands have
    // state.redis-timeout through the client options.
    RedisURI.Builder b = RedisURI.builder().withHost(url.host()).withPort(url.port()).withSsl(url.tls())
        .withDatabase(url.database()).withTimeout(connectTimeout(state)).withClientName("llm-proxy");
    if (url.password() != null) {
      if (url.username() != null) {
        b.withAuthentication(url.username(), url.password().toCharArray());
      } else {
        b.withPassword(url.password().toCharArray());
      }
    }
    return b.build();
  }

  private static Duration connectTimeout(StateConfig state) {
    return state.redisTimeout().compareTo(Duration.ofSeconds(2)) > 0 ? state.redisTimeout() : Duration.ofSeconds(2);
  }

  private static ClientOptions options(StateConfig state) {
    ClientOptions.Builder b = ClientOptions.builder()
        // Reconnected by RedisConnections, which logs one warning per outage; Lettuce's own reconnection logs one
        // every few seconds. While disconnected, commands fail at once: queued ones would replay stale state after
        // an outage, and callers catch up by themselves when Redis is back.
        .autoReconnect(false)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(10_000)
        .timeoutOptions(TimeoutOptions.enabled(state.redisTimeout()))
        .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout(state)).keepAlive(true).build());
    if (state.redisTrustStore() != null) {
      b.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(state.redisTrustStore().trustManagerFactory())
          .build());
    }
    return b.build();
  }

  /** Opens a connection for commands; call from a thread of ours (see the class comment). */
  CompletableFuture<StatefulRedisConnection<String, String>> connect() {
    return client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
  }

  /** Opens a connection for pub/sub; call from a thread of ours. */
  CompletableFuture<StatefulRedisPubSubConnection<String, String>> connectPubSub() {
    return client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture();
  }

  /**
   * Runs {@code task} on one of Lettuce's threads, after the tasks handed over before it; false once closed. Commands
   * issued there leave no Netty thread-local on the caller's thread, a container's or HttpClient's.
   */
  boolean execute(Runnable task) {
    try {
      dispatcher.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /**
   * Closes every connection and stops every thread, waiting a bounded time for each: the container checks for
   * leftover threads right after undeploy.
   */
  @Override
  public void close() {
    try {
      client.shutdownAsync(0, CLOSE_BOUND.toMillis(), TimeUnit.MILLISECONDS)
          .get(CLOSE_BOUND.toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Closing the Redis client failed: {}", RedisHealth.describe(e));
    }
    if (!resources.shutdown(0, CLOSE_BOUND.toMillis(), TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(CLOSE_BOUND.toMillis() + 500)) {
      LOG.warn("Redis client threads did not stop within {}", CLOSE_BOUND);
    }
    timer.stop();
    // Lettuce completes some shutdown promises on Netty's global executor, whose thread lingers a second.
    try {
      if (!GlobalEventExecutor.INSTANCE.awaitInactivity(CLOSE_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Netty's global executor thread did not stop within {}", CLOSE_BOUND);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IllegalStateException neverStarted) {
      // awaitInactivity refuses when its thread never ran: nothing to wait for.
    }
    // Waiting on Netty's promises may leave Netty's thread-local map on this thread, a container thread that
    // outlives the webapp (Tomcat reports it as a leak at undeploy).
    FastThreadLocal.removeAll();
  }
}
