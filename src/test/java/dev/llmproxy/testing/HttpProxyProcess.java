package dev.llmproxy.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A real HTTP forward proxy (tinyproxy) listening on a free {@code 127.0.0.1} port, for tests of {@code http://}
 * proxy URLs.
 *
 * <p>Its outgoing connections leave from {@link #outgoingAddress()} ({@value #DEFAULT_OUTGOING_ADDRESS} unless
 * changed), so {@link RecordedRequest#remoteAddress()} at a {@link FakeUpstream} proves a request went through it. It
 * supports plain forwarding of {@code http://} targets and {@code CONNECT} to any port, with optional Basic proxy
 * authentication. tinyproxy runs in the foreground as a child process of the JVM, as the current user (also as root,
 * with a warning in its log), and is killed on {@link #close()}. Thread-safe.
 */
public final class HttpProxyProcess implements AutoCloseable {

  /** Where outgoing connections come from by default; SOCKS uses {@value SocksProxyProcess#DEFAULT_OUTGOING_ADDRESS}. */
  public static final String DEFAULT_OUTGOING_ADDRESS = "127.0.0.3";

  private final ListeningProcess process;
  private final String outgoingAddress;
  private final ProxyCredentials credentials;

  private HttpProxyProcess(ListeningProcess process, String outgoingAddress, ProxyCredentials credentials) {
    this.process = process;
    this.outgoingAddress = outgoingAddress;
    this.credentials = credentials;
  }

  /** Starts an open proxy whose outgoing connections come from {@value #DEFAULT_OUTGOING_ADDRESS}. */
  public static HttpProxyProcess start() {
    return start(DEFAULT_OUTGOING_ADDRESS, null);
  }

  /**
   * Starts a proxy.
   *
   * @param outgoingAddress a {@code 127.x.y.z} address its outgoing connections come from
   * @param credentials required Basic proxy credentials, or {@code null} for an open proxy
   */
  public static HttpProxyProcess start(String outgoingAddress, ProxyCredentials credentials) {
    Objects.requireNonNull(outgoingAddress, "outgoingAddress");
    Path binary = ListeningProcess.requireExecutable("tinyproxy", "tinyproxy");
    TempDirectory workDir = TempDirectory.create("tinyproxy-");
    ListeningProcess process =
        ListeningProcess.start(
            "tinyproxy",
            workDir,
            port -> {
              Path config = writeConfig(workDir, port, outgoingAddress, credentials);
              // -d keeps it in the foreground, so it stays our child and dies with close().
              return List.of(binary.toString(), "-d", "-c", config.toString());
            });
    return new HttpProxyProcess(process, outgoingAddress, credentials);
  }

  /** {@code http://127.0.0.1:PORT}, or {@code http://user:password@127.0.0.1:PORT} with credentials. */
  public String url() {
    return "http://" + (credentials == null ? "" : credentials.userInfo()) + "127.0.0.1:" + port();
  }

  /** The port it listens on. */
  public int port() {
    return process.port();
  }

  /** The loopback address its outgoing connections come from. */
  public String outgoingAddress() {
    return outgoingAddress;
  }

  /** tinyproxy's own log, for diagnosing a failed test. */
  public String log() {
    try {
      return Files.readString(process.workDir().resolve("tinyproxy.log"));
    } catch (IOException e) {
      return "(no tinyproxy log: " + e + ")";
    }
  }

  /** Whether the tinyproxy process still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Kills tinyproxy and deletes its files. */
  @Override
  public void close() {
    process.close();
  }

  private static Path writeConfig(
      TempDirectory workDir, int port, String outgoingAddress, ProxyCredentials credentials) {
    Path dir = workDir.path();
    StringBuilder config = new StringBuilder();
    config.append("Port ").append(port).append('\n');
    config.append("Listen 127.0.0.1\n");
    config.append("Bind ").append(outgoingAddress).append('\n');
    config.append("Allow 127.0.0.1\n");
    // No ConnectPort line on purpose: without one tinyproxy allows CONNECT to every port, and HTTPS fakes listen
    // on random ones. (Debian's packaged config limits CONNECT to 443 and 563 with ConnectPort lines.)
    // Streams under test may idle for minutes; the default 600s is fine, but say so explicitly.
    config.append("Timeout 600\n");
    // The 1.11 default of 100 would turn a load test into a test of tinyproxy.
    config.append("MaxClients 2000\n");
    config.append("LogFile \"").append(dir.resolve("tinyproxy.log")).append("\"\n");
    config.append("LogLevel Info\n");
    config.append("PidFile \"").append(dir.resolve("tinyproxy.pid")).append("\"\n");
    if (credentials != null) {
      config.append("BasicAuth ").append(credentials.user()).append(' ').append(credentials.password()).append('\n');
    }
    return workDir.writeAtomically("tinyproxy.conf", config.toString());
  }
}
