package dev.llmproxy.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.error.WebappJson;
import dev.llmproxy.routing.SessionBindings;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code routing.session-affinity}'s bindings shared between instances: each binding this instance makes or moves
 * (and renews, every half time to live) goes out on the {@code <prefix>sessions} channel, and every instance adopts
 * what the others send into its own {@link SessionBindings}, which requests read without waiting on Redis. Behind a
 * load balancer that spreads a session over the fleet, its requests so reach the key that answered it last,
 * whichever instance they meet. Soft state: nothing is stored in Redis, and a message lost while Redis is down only
 * costs a session a fresh binding. The messages carry key ids (the provider's name and a digest of key, base URL and
 * proxy), never a key. Thread-safe; nothing here blocks.
 */
final class RedisSessionBindings {
  private static final Logger LOG = LoggerFactory.getLogger(RedisSessionBindings.class);
  private static final ObjectMapper JSON = WebappJson.newMapper();

  private final SessionBindings local;
  private final RedisConnections redis;
  private final String channel;
  /** This instance's own messages come back to it; it knows them by this. */
  private final String origin = UUID.randomUUID().toString();

  RedisSessionBindings(SessionBindings local, RedisConnections redis, String keyPrefix) {
    this.local = local;
    this.redis = redis;
    this.channel = keyPrefix + "sessions";
    redis.subscribe(channel, this::received, () -> { });
    local.shareWith(this::announce);
  }

  private void announce(String key, String credential, String model, Duration ttl) {
    ObjectNode m = JSON.createObjectNode().put("from", origin).put("key", key).put("credential", credential)
        .put("model", model).put("ms", ttl.toMillis());
    String message = m.toString();
    redis.call(c -> c.publish(channel, message));
  }

  /** A binding another instance (or this one) announced; on a Lettuce I/O thread. */
  private void received(String message) {
    try {
      JsonNode m = JSON.readTree(message);
      if (origin.equals(m.path("from").asText())) {
        return;
      }
      String key = m.path("key").asText("");
      String credential = m.path("credential").asText("");
      String model = m.path("model").asText("");
      long ms = m.path("ms").asLong(0);
      if (key.isEmpty() || credential.isEmpty() || model.isEmpty() || ms <= 0) {
        LOG.warn("Ignored an incomplete message on Redis channel {}", channel);
        return;
      }
      local.adopt(key, credential, model, Duration.ofMillis(ms));
    } catch (IOException | RuntimeException e) {
      LOG.warn("Ignored a malformed message on Redis channel {}: {}", channel, e.toString());
    }
  }
}
