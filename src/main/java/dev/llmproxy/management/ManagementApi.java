package dev.llmproxy.management;

import com.fasterxml.jackson.jakarta.rs.json.JacksonJsonProvider;
import dev.llmproxy.api.ResourceInstances;
import dev.llmproxy.error.WebappJson;
import dev.llmproxy.routing.RoutingState;
import dev.llmproxy.routing.SnapshotHolder;
import dev.llmproxy.usage.UsageLedger;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.time.Clock;
import java.util.EnumSet;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * Mounts the management API at {@code /v0/management/*}: the {@link ManagementAuthFilter} (after any
 * filter declared in web.xml, so container security runs first), the {@link RequestBodyLimitFilter} and
 * one Jersey servlet with a resource
 * per concern, all writing through one {@link ConfigStore}.
 */
public final class ManagementApi {
  public static final String MAPPING = "/v0/management/*";

  private ManagementApi() {}

  public static void register(ServletContext context, SnapshotHolder snapshots, ConfigStore store, RoutingState routing,
      UsageLedger usage, Clock clock) {
    FilterRegistration.Dynamic auth = context.addFilter("management-auth",
        new ManagementAuthFilter(snapshots, new InMemoryLoginFailures(clock), new ManagementKeyVerifier()));
    auth.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, MAPPING);
    FilterRegistration.Dynamic bodyLimit = context.addFilter("management-body-limit", new RequestBodyLimitFilter());
    bodyLimit.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, MAPPING);

    ServletRegistration.Dynamic servlet = context.addServlet("management",
        new ServletContainer(application(store, snapshots, routing, usage)));
    servlet.setLoadOnStartup(1);
    servlet.addMapping(MAPPING);
  }

  static ResourceConfig application(ConfigStore store, SnapshotHolder snapshots, RoutingState routing,
      UsageLedger usage) {
    ResourceConfig config = new ResourceConfig()
        .register(new JacksonJsonProvider(WebappJson.newMapper()))
        .register(new ManagementExceptionMapper())
        .property("jersey.config.server.wadl.disableWadl", true);
    return ResourceInstances.register(config, new OpenAiCompatibilityResource(store), new ApiKeysResource(store),
        new SettingsResource(store), new ConfigYamlResource(store), new ConfigResource(store),
        new UpstreamStatusResource(snapshots, routing), new UsageResource(usage));
  }
}
