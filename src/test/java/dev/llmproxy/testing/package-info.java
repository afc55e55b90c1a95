/**
 * Integration-test harness for the gateway: everything runs in-process or as a child process on loopback.
 *
 * <ul>
 *   <li>{@link dev.llmproxy.testing.FakeUpstream} is a scriptable OpenAI-compatible provider that records requests
 *       ({@link dev.llmproxy.testing.RecordedRequest}) and answers with {@link
 *       dev.llmproxy.testing.UpstreamResponse}s, including event streams built from {@link
 *       dev.llmproxy.testing.SseStep}s; over HTTPS with a {@link dev.llmproxy.testing.SelfSignedCertificate} that
 *       keytool makes at test time.
 *   <li>{@link dev.llmproxy.testing.GatewayServer} runs the gateway WAR in embedded Jetty with a config written by the
 *       test.
 *   <li>{@link dev.llmproxy.testing.HttpProxyProcess} (tinyproxy) and {@link dev.llmproxy.testing.SocksProxyProcess}
 *       (microsocks) are real outbound proxies.
 *   <li>{@link dev.llmproxy.testing.SseEvents} reads a streamed response one event at a time.
 * </ul>
 *
 * <p><b>Which way did a request go?</b> Each proxy binds its outgoing connections to its own loopback address, so
 * {@link dev.llmproxy.testing.RecordedRequest#remoteAddress()} at the fake upstream tells: {@code 127.0.0.1} direct,
 * {@code 127.0.0.2} through SOCKS, {@code 127.0.0.3} through the HTTP proxy. Linux routes all of 127.0.0.0/8 to the
 * loopback interface, so no setup is needed.
 */
package dev.llmproxy.testing;
