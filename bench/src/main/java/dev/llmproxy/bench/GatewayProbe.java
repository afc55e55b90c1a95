package dev.llmproxy.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads the gateway JVM's heap and thread count over local JMX (the gateway itself carries no
 * benchmark code). "Live heap" is measured right after a requested full GC.
 */
final class GatewayProbe implements AutoCloseable {
  private final JMXConnector connector;
  private final MemoryMXBean memory;
  private final ThreadMXBean threads;

  GatewayProbe(int jmxPort) throws Exception {
    JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
    connector = JMXConnectorFactory.connect(url);
    MBeanServerConnection server = connector.getMBeanServerConnection();
    memory = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
    threads = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
  }

  /** Heap in use now (live objects plus garbage not yet collected), bytes. */
  long heapUsed() {
    return memory.getHeapMemoryUsage().getUsed();
  }

  long heapCommitted() {
    return memory.getHeapMemoryUsage().getCommitted();
  }

  /** Heap in use after a full GC: what the gateway really retains, bytes. */
  long liveHeap() {
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  int threadCount() {
    return threads.getThreadCount();
  }

  /** Live threads grouped by name with digits removed ("gateway-12" and "gateway-3" count as "gateway-#"). */
  java.util.Map<String, Integer> threadsByName() {
    java.util.Map<String, Integer> out = new java.util.TreeMap<>();
    for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        out.merge(info.getThreadName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
      }
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    connector.close();
  }
}
