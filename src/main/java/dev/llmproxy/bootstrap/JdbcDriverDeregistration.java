package dev.llmproxy.bootstrap;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deregisters the JDBC drivers this web application's class loader registered (H2 and PostgreSQL
 * register themselves with {@link DriverManager} when their class loads). {@code DriverManager} is a JVM
 * singleton: a driver left in it pins the undeployed application's class loader, and Tomcat says so
 * ("registered the JDBC driver ... but failed to unregister it"). Drivers of the container's own
 * libraries (a JNDI DataSource's) are not ours and stay. Stateless.
 */
final class JdbcDriverDeregistration {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcDriverDeregistration.class);

  private JdbcDriverDeregistration() {}

  static void run() {
    ClassLoader ours = JdbcDriverDeregistration.class.getClassLoader();
    for (Driver driver : Collections.list(DriverManager.getDrivers())) {
      if (driver.getClass().getClassLoader() == ours) {
        try {
          DriverManager.deregisterDriver(driver);
        } catch (SQLException | SecurityException e) {
          LOG.warn("Could not deregister the JDBC driver {}: {}", driver.getClass().getName(), e.toString());
        }
      }
    }
  }
}
