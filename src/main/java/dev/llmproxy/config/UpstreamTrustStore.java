package dev.llmproxy.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates {@code upstream.trust-store} (or {@code state.redis-trust-store}) names, read once when the config
 * loads: upstream (or Redis) TLS then trusts exactly these instead of the JVM's default CAs. Host names are still
 * verified.
 *
 * <p>Immutable. Two instances are equal when they come from the same path with the same content (SHA-256),
 * so a rotated store gets a new connection pool on the next config reload. The password is used only while
 * loading and is not kept; {@link #toString()} shows the path, the certificate count and a fingerprint.
 */
public final class UpstreamTrustStore {
  private final Path path;
  private final String sha256;
  private final int certificates;
  private final TrustManagerFactory trust;
  private final SSLContext sslContext;

  private UpstreamTrustStore(Path path, String sha256, int certificates, TrustManagerFactory trust) {
    this.path = path;
    this.sha256 = sha256;
    this.certificates = certificates;
    this.trust = trust;
    this.sslContext = sslContextTrusting(path, trust);
  }

  /**
   * Reads a PKCS12 or JKS store and builds a TLS context that trusts its certificates.
   *
   * @param file absolute path of the store
   * @param password the store password; empty for none
   * @throws IllegalArgumentException with a message fit for a config error (never containing the password)
   */
  public static UpstreamTrustStore load(Path file, String password) {
    return load(file, password, "upstream.trust-store-password");
  }

  /** Like {@link #load(Path, String)}; messages about the password name the YAML key {@code passwordKey}. */
  public static UpstreamTrustStore load(Path file, String password, String passwordKey) {
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(file + " does not exist");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(file + " is not a readable file");
    }
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " cannot be read: " + e.getClass().getSimpleName());
    }
    KeyStore store = open(file, content, password, passwordKey);
    int count = countCertificates(store);
    if (count == 0) {
      throw new IllegalArgumentException(file + " contains no certificates"
          + (password.isEmpty() ? " readable without a password; set " + passwordKey : ""));
    }
    return new UpstreamTrustStore(file, sha256(content), count, trusting(file, store));
  }

  /** The store's absolute path. */
  public Path path() {
    return path;
  }

  /** How many certificates the store holds (trusted entries and the certificates of key entries). */
  public int certificates() {
    return certificates;
  }

  /** A TLS context whose trust managers trust only this store's certificates; it has no client key. */
  public SSLContext sslContext() {
    return sslContext;
  }

  /** Trust managers that trust only this store's certificates, for TLS stacks that take them (Netty's). */
  public TrustManagerFactory trustManagerFactory() {
    return trust;
  }

  private static KeyStore open(Path file, byte[] content, String password, String passwordKey) {
    try {
      // With the JDK's default keystore.type.compat=true, a PKCS12 instance also reads JKS files.
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(new ByteArrayInputStream(content), password.isEmpty() ? null : password.toCharArray());
      return store;
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new IllegalArgumentException(file + " cannot be opened: wrong " + passwordKey);
      }
      throw new IllegalArgumentException(file + " is not a PKCS12 or JKS key store");
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(file + " is not a PKCS12 or JKS key store");
    }
  }

  private static int countCertificates(KeyStore store) {
    try {
      int count = 0;
      for (String alias : Collections.list(store.aliases())) {
        if (store.getCertificate(alias) != null) {
          count++;
        }
      }
      return count;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a loaded key store refused to list its entries", e);
    }
  }

  private static TrustManagerFactory trusting(Path file, KeyStore store) {
    try {
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      return trust;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(file + " cannot be used for TLS: " + e.getMessage());
    }
  }

  private static SSLContext sslContextTrusting(Path file, TrustManagerFactory trust) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(file + " cannot be used for TLS: " + e.getMessage());
    }
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof UpstreamTrustStore that && path.equals(that.path) && sha256.equals(that.sha256);
  }

  @Override
  public int hashCode() {
    return 31 * path.hashCode() + sha256.hashCode();
  }

  @Override
  public String toString() {
    return path + " (" + certificates + (certificates == 1 ? " certificate" : " certificates")
        + ", sha256 " + sha256.substring(0, 16) + ")";
  }
}
