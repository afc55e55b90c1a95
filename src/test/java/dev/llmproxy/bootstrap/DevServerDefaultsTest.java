package dev.llmproxy.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * {@code mvn jetty:run} is how the README starts the gateway, with the example config and its example
 * key: it must listen on this machine only unless asked ({@code -Djetty.host=0.0.0.0}).
 */
class DevServerDefaultsTest {
  @Test
  void jettyRunListensOnLoopbackUnlessJettyHostIsGiven() throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document pom = factory.newDocumentBuilder().parse(Path.of("pom.xml").toFile());
    XPath xpath = XPathFactory.newInstance().newXPath();

    String connectorHost = xpath.evaluate("/project/build/plugins/plugin[artifactId='jetty-ee10-maven-plugin']"
        + "/configuration/httpConnector/host", pom);
    String defaultHost = xpath.evaluate("/project/properties/*[local-name()='jetty.host']", pom);

    assertEquals("${jetty.host}", connectorHost);
    assertEquals("127.0.0.1", defaultHost);
  }
}
