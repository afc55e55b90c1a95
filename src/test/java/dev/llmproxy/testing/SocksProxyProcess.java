package dev.llmproxy.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A real SOCKS5 proxy (microsocks) listening on a free {@code 127.0.0.1} port, for tests of {@code socks5://} and
 * {@code socks5h://} proxy URLs.
 *
 * <p>Its outgoing connections leave from {@link #outgoingAddress()} ({@value #DEFAULT_OUTGOING_ADDRESS} unless
 * changed), so {@link RecordedRequest#remoteAddress()} at a {@link FakeUpstream} proves a request went through it.
 * Optional user/password authentication (RFC 1929). microsocks runs as a child process of the JVM and is killed on
 * {@link #close()}. Thread-safe.
 */
public final class SocksProxyProcess implements AutoCloseable {

  /** Where outgoing connections come from by default; HTTP uses {@value HttpProxyProcess#DEFAULT_OUTGOING_ADDRESS}. */
  public static final String DEFAULT_OUTGOING_ADDRESS = "127.0.0.2";

  private final ListeningProcess process;
  private final String outgoingAddress;
  private final ProxyCredentials credentials;

  private SocksProxyProcess(ListeningProcess process, String outgoingAddress, ProxyCredentials credentials) {
    this.process = process;
    this.outgoingAddress = outgoingAddress;
    this.credentials = credentials;
  }

  /** Starts an open proxy whose outgoing connections come from {@value #DEFAULT_OUTGOING_ADDRESS}. */
  public static SocksProxyProcess start() {
    return start(DEFAULT_OUTGOING_ADDRESS, null);
  }

  /**
   * Starts a proxy.
   *
   * @param outgoingAddress a {@code 127.x.y.z} address its outgoing connections come from
   * @param credentials required user/password, or {@code null} for no authentication
   */
  public static SocksProxyProcess start(String outgoingAddress, ProxyCredentials credentials) {
    Objects.requireNonNull(outgoingAddress, "outgoingAddress");
    Path binary = ListeningProcess.requireExecutable("microsocks", "microsocks");
    ListeningProcess process =
        ListeningProcess.start(
            "microsocks",
            TempDirectory.create("microsocks-"),
            port -> {
              List<String> command = new ArrayList<>(List.of(binary.toString(), "-i", "127.0.0.1"));
              command.addAll(List.of("-p", Integer.toString(port), "-b", outgoingAddress));
              if (credentials != null) {
                command.addAll(List.of("-u", credentials.user(), "-P", credentials.password()));
              }
              return command;
            });
    return new SocksProxyProcess(process, outgoingAddress, credentials);
  }

  /** {@code socks5://127.0.0.1:PORT}, or {@code socks5://user:password@127.0.0.1:PORT} with credentials. */
  public String url() {
    return "socks5://" + (credentials == null ? "" : credentials.userInfo()) + "127.0.0.1:" + port();
  }

  /** The port it listens on. */
  public int port() {
    return process.port();
  }

  /** The loopback address its outgoing connections come from. */
  public String outgoingAddress() {
    return outgoingAddress;
  }

  /** Whether the microsocks process still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Kills microsocks and deletes its files. */
  @Override
  public void close() {
    process.close();
  }
}
