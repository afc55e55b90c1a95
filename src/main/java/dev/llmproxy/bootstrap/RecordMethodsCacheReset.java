package dev.llmproxy.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.runtime.ObjectMethods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases the class-loader reference the JDK 17 runtime keeps after undeploy.
 *
 * <p>A record's generated {@code equals}, {@code hashCode} and {@code toString} are bootstrapped by
 * {@link ObjectMethods}, which adapts a few shared static method handles to the record and component
 * types with {@code MethodHandle.asType}. Up to JDK 17, {@code asType} keeps its last result in a
 * strong one-entry cache (JDK-8078641, fixed in JDK 18), so the last record of ours to be bootstrapped
 * (say {@code OutboundProxy}) pins this web application's class loader after undeploy, and Tomcat's
 * "find leaks" reports it. Running the bootstrap once more for JDK types only, as the last step of
 * shutdown, overwrites those cache entries with adapters that pin nothing of ours. Harmless on newer
 * JDKs; never fails shutdown. Stateless.
 */
final class RecordMethodsCacheReset {
  private static final Logger LOG = LoggerFactory.getLogger(RecordMethodsCacheReset.class);

  private RecordMethodsCacheReset() {}

  static void run() {
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      MethodHandle getter = lookup.findVirtual(String.class, "toString", MethodType.methodType(String.class));
      ObjectMethods.bootstrap(lookup, "equals", MethodType.methodType(boolean.class, String.class, Object.class),
          String.class, "value", getter);
      ObjectMethods.bootstrap(lookup, "hashCode", MethodType.methodType(int.class, String.class),
          String.class, "value", getter);
      ObjectMethods.bootstrap(lookup, "toString", MethodType.methodType(String.class, String.class),
          String.class, "value", getter);
    } catch (Throwable e) {
      LOG.debug("Could not reset the JDK's record method-handle caches: {}", e.toString());
    }
  }
}
