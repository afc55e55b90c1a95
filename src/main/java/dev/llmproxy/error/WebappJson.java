package dev.llmproxy.error;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Builds every Jackson {@link JsonFactory} and {@link ObjectMapper} of the gateway. Jackson's default
 * buffer recycling keeps a {@code ThreadLocal<SoftReference<BufferRecycler>>} in each thread that parsed
 * or wrote JSON: in a servlet container those are the container's pooled threads, which outlive an
 * undeploy, so the WAR's class loader would stay reachable (Tomcat's "find leaks" reports it) until the
 * JVM runs low on memory. A pool owned by the factory avoids thread-locals altogether. Stateless.
 */
public final class WebappJson {
  private WebappJson() {}

  /** A factory whose buffers are recycled through a pool it owns, never through thread-locals. */
  public static JsonFactory newFactory() {
    return JsonFactory.builder().recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build();
  }

  /** An {@link ObjectMapper} on {@link #newFactory()}. */
  public static ObjectMapper newMapper() {
    return new ObjectMapper(newFactory());
  }
}
