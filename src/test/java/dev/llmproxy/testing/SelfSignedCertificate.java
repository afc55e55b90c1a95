package dev.llmproxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed server certificate made at test time with the JDK's own {@code keytool}, so no key material is
 * committed. It lives in a temporary directory as two PKCS12 files: {@link #keyStore()} (private key and
 * certificate, for a TLS server such as {@link FakeUpstream#https}) and {@link #trustStore()} (the certificate
 * only, for clients and the gateway's {@code upstream.trust-store}). Both use {@link #PASSWORD}. {@link #pem()} and
 * {@link #privateKeyPem()} serve servers that read PEM files ({@link RedisProcess}).
 *
 * <p>Immutable once created; {@link #close()} deletes the files. Each creation runs {@code keytool} three times
 * (about a second), so share one per test class.
 */
public final class SelfSignedCertificate implements AutoCloseable {

  /** The password of every store made here. */
  public static final String PASSWORD = "test-store-pass";

  private static final String ALIAS = "server";

  private final TempDirectory dir;
  private final List<String> subjectAlternativeNames;

  private SelfSignedCertificate(TempDirectory dir, List<String> subjectAlternativeNames) {
    this.dir = dir;
    this.subjectAlternativeNames = subjectAlternativeNames;
  }

  /** A certificate for {@code 127.0.0.1} and {@code localhost}, which is what {@link FakeUpstream} serves. */
  public static SelfSignedCertificate forLoopback() {
    return create("ip:127.0.0.1", "dns:localhost");
  }

  /**
   * A certificate for the given names.
   *
   * @param subjectAlternativeNames in keytool's syntax, for example {@code ip:127.0.0.1} or {@code dns:example.test}
   */
  public static SelfSignedCertificate create(String... subjectAlternativeNames) {
    TempDirectory dir = TempDirectory.create("self-signed-");
    try {
      String names = String.join(",", subjectAlternativeNames);
      keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
          "-dname", "CN=llm-proxy test " + subjectAlternativeNames[0], "-ext", "san=" + names,
          "-keystore", dir.path().resolve("key.p12").toString(), "-storetype", "PKCS12",
          "-storepass", PASSWORD, "-keypass", PASSWORD);
      keytool("-exportcert", "-rfc", "-alias", ALIAS, "-keystore", dir.path().resolve("key.p12").toString(),
          "-storepass", PASSWORD, "-file", dir.path().resolve("cert.pem").toString());
      SelfSignedCertificate created = new SelfSignedCertificate(dir, List.of(subjectAlternativeNames));
      importInto(created.trustStore(), List.of(created));
      return created;
    } catch (RuntimeException e) {
      dir.close();
      throw e;
    }
  }

  /**
   * A PKCS12 trust store, protected by {@link #PASSWORD}, that trusts this certificate and {@code others}; for a
   * client that must accept several servers. The file lives (and is deleted) with this certificate.
   */
  public Path trustStoreWith(SelfSignedCertificate... others) {
    Path file = dir.path().resolve("trust-with-" + others.length + "-" + System.nanoTime() + ".p12");
    List<SelfSignedCertificate> all = new ArrayList<>(List.of(this));
    all.addAll(List.of(others));
    importInto(file, all);
    return file;
  }

  private static void importInto(Path trustStore, List<SelfSignedCertificate> certificates) {
    for (int i = 0; i < certificates.size(); i++) {
      keytool("-importcert", "-noprompt", "-alias", "trusted-" + i, "-file", certificates.get(i).pem().toString(),
          "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    }
  }

  /** The PKCS12 store with the private key and the certificate. */
  public Path keyStore() {
    return dir.path().resolve("key.p12");
  }

  /** A PKCS12 store with only the certificate, as a trusted entry. */
  public Path trustStore() {
    return dir.path().resolve("trust.p12");
  }

  /** The certificate in PEM form. */
  public Path pem() {
    return dir.path().resolve("cert.pem");
  }

  /**
   * The private key as an unencrypted PKCS#8 PEM file, for servers configured with PEM files (redis-server's
   * {@code --tls-key-file}); written on first use, deleted with the certificate.
   */
  public synchronized Path privateKeyPem() {
    Path file = dir.path().resolve("key.pem");
    if (Files.exists(file)) {
      return file;
    }
    try {
      KeyStore store = KeyStore.getInstance(keyStore().toFile(), PASSWORD.toCharArray());
      byte[] pkcs8 = store.getKey(ALIAS, PASSWORD.toCharArray()).getEncoded();
      String pem = "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
          + "\n-----END PRIVATE KEY-----\n";
      return dir.writeAtomically("key.pem", pem);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the generated key store is unusable", e);
    }
  }

  /** A client TLS context that trusts this certificate and nothing else, for test clients. */
  public SSLContext clientSslContext() {
    try {
      KeyStore trusted = KeyStore.getInstance(trustStore().toFile(), PASSWORD.toCharArray());
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the generated trust store is unusable", e);
    }
  }

  /** The names the certificate is valid for, in keytool's syntax. */
  public List<String> subjectAlternativeNames() {
    return subjectAlternativeNames;
  }

  /** Deletes the stores. */
  @Override
  public void close() {
    dir.close();
  }

  @Override
  public String toString() {
    return "SelfSignedCertificate" + subjectAlternativeNames;
  }

  private static void keytool(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    try {
      Path output = Files.createTempFile("keytool-", ".log");
      try {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("keytool did not finish within 60s: " + command);
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException("keytool failed (" + process.exitValue() + "): " + command + "\n"
              + Files.readString(output));
        }
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }
}
