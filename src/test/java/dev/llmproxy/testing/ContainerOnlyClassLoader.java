package dev.llmproxy.testing;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The parent of an embedded gateway webapp: shows only what a real container shares (the JDK, the
 * Servlet API, Jetty). The test class path also holds Jersey, Jackson and the gateway's own classes;
 * letting the webapp see those splits packages across two loaders, which shows up as an
 * IllegalAccessError inside Jersey whenever a class happens to be resolved through the parent.
 */
public final class ContainerOnlyClassLoader extends ClassLoader {
  public ContainerOnlyClassLoader(ClassLoader parent) {
    super(parent);
  }

  private static boolean shared(String name) {
    return name.startsWith("java") || name.startsWith("jdk") || name.startsWith("sun") || name.startsWith("com.sun")
        || name.startsWith("jakarta.servlet") || name.startsWith("org.eclipse.jetty") || name.startsWith("org.xml")
        || name.startsWith("org.w3c");
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (!shared(name)) {
      throw new ClassNotFoundException(name);
    }
    return super.loadClass(name, resolve);
  }

  @Override
  public URL getResource(String name) {
    return shared(name.replace('/', '.')) ? super.getResource(name) : null;
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    return shared(name.replace('/', '.')) ? super.getResources(name) : Collections.emptyEnumeration();
  }
}
