package dev.llmproxy.api;

import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * Registers resource objects built by the composition root. Handing instances to
 * {@code ResourceConfig.register(Object)} works, but Jersey then logs a misleading "provider ... will be
 * ignored" warning for each (jersey#3700). Registering the class and binding the instance to it keeps
 * constructor-built resources without that noise. Stateless.
 */
public final class ResourceInstances {
  private ResourceInstances() {}

  /** Adds every {@code resource} to {@code config} as a singleton resource. */
  public static ResourceConfig register(ResourceConfig config, Object... resources) {
    config.register(new AbstractBinder() {
      @Override
      protected void configure() {
        for (Object resource : resources) {
          bindInstance(this, resource);
        }
      }
    });
    for (Object resource : resources) {
      config.register(resource.getClass());
    }
    return config;
  }

  @SuppressWarnings("unchecked")
  private static <T> void bindInstance(AbstractBinder binder, T resource) {
    binder.bind(resource).to((Class<T>) resource.getClass());
  }
}
