package dev.llmproxy.management;

import com.fasterxml.jackson.jakarta.rs.json.JacksonJsonProvider;
import dev.llmproxy.api.ResourceInstances;
import dev.llmproxy.error.WebappJson;
import dev.llmproxy.limits.ClientLimits;
import dev.llmproxy.routing.RoutingState;
import dev.llmproxy.routing.SnapshotHolder;
import dev.llmproxy.usage.UsageCounters;
import dev.llmproxy.usage.UsageReports;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Properties;
import java.util.function.Supplier;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * Mounts the management API at {@code /v0/management/*}: the {@link ManagementAuthFilter} (after any
 * filter declared in web.xml, so container security runs first), the {@link RequestBodyLimitFilter} and
 * one Jersey servlet with a resource per concern, all writing through one {@link ConfigStore}; and
 * {@code /metrics}, guarded by the same check (sharing its lockout) or a scraper's token
 * ({@link MetricsServlet}).
 */
public final class ManagementApi {
  public static final String MAPPING = "/v0/management/*";
  public static final String METRICS = "/metrics";
  /** Written into the WAR by the Maven WAR plugin; absent when the webapp runs from the source tree. */
  static final String POM_PROPERTIES = "/META-INF/maven/dev.llmproxy/llm-proxy/pom.properties";
  static final String UNKNOWN_VERSION = "development";

  private ManagementApi() {}

  /**
   * What the usage resources read: the live counters, the durable reports, and where clients stand against their
   * limits.
   */
  public record Usage(UsageCounters counters, UsageReports reports, ClientLimits limits) {}

  /**
   * @param loginFailures the failed key checks and the lockout they cause (shared by the fleet with Redis)
   * @param scrape the Prometheus text of every meter, served at {@code /metrics}
   */
  public static void register(ServletContext context, SnapshotHolder snapshots, ConfigStore store, RoutingState routing,
      Usage usage, LoginFailures loginFailures, Supplier<String> scrape, Clock clock) {
    ManagementAuthFilter guard = new ManagementAuthFilter(snapshots, loginFailures, new ManagementKeyVerifier());
    FilterRegistration.Dynamic auth = context.addFilter("management-auth", guard);
    auth.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, MAPPING);
    FilterRegistration.Dynamic bodyLimit = context.addFilter("management-body-limit", new RequestBodyLimitFilter());
    bodyLimit.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, MAPPING);

    ServletRegistration.Dynamic servlet = context.addServlet("management",
        new ServletContainer(application(store, snapshots, routing, usage, clock, version(context))));
    servlet.setLoadOnStartup(1);
    servlet.addMapping(MAPPING);

    ServletRegistration.Dynamic metrics = context.addServlet("metrics", new MetricsServlet(snapshots, guard, scrape));
    metrics.addMapping(METRICS);
  }

  static ResourceConfig application(ConfigStore store, SnapshotHolder snapshots, RoutingState routing,
      Usage usage, Clock clock, String version) {
    ResourceConfig config = new ResourceConfig()
        .register(new JacksonJsonProvider(WebappJson.newMapper()))
        .register(new ManagementExceptionMapper())
        .property("jersey.config.server.wadl.disableWadl", true);
    return ResourceInstances.register(config, new OpenAiCompatibilityResource(store), new ApiKeysResource(store, snapshots,
            new ClientKeyUsage(usage.limits(), routing.openRequests(), clock)),
        new SettingsResource(store), new ConfigYamlResource(store), new ConfigResource(store),
        new UpstreamStatusResource(snapshots, routing), new UsageResource(usage.counters(), usage.reports(), clock),
        new WhoAmIResource(version));
  }

  /** The gateway's version from the WAR's Maven descriptor, or {@value #UNKNOWN_VERSION}. */
  static String version(ServletContext context) {
    try (InputStream in = context.getResourceAsStream(POM_PROPERTIES)) {
      if (in == null) {
        return UNKNOWN_VERSION;
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", UNKNOWN_VERSION);
    } catch (IOException e) {
      return UNKNOWN_VERSION;
    }
  }
}
