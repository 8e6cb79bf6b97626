package dev.abstractions.client;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How a client connection is secured with TLS: which certificate authorities it trusts to sign
 * the server's certificate and, for a server that requires client certificates (mutual TLS, the
 * server's {@code --tls-client-ca}), the certificate it presents. Immutable and thread-safe; the
 * PEM files are read when {@link #credentials} is called, that is when a connection is set up.
 *
 * <pre>{@code
 * AbstractionsClient client = AbstractionsClient.connect("entities.example.com:8980",
 *     Tls.trusting(Path.of("ca.pem")).withClientCertificate(Path.of("client.pem"), Path.of("client.key")));
 * }</pre>
 */
public final class Tls {

  private final Path trustedCas;
  private final Path certificateChain;
  private final Path privateKey;

  private Tls(Path trustedCas, Path certificateChain, Path privateKey) {
    this.trustedCas = trustedCas;
    this.certificateChain = certificateChain;
    this.privateKey = privateKey;
  }

  /** Trusts the JVM's default certificate authorities; presents no certificate. */
  public static Tls trustingDefaultCas() {
    return new Tls(null, null, null);
  }

  /** Trusts only the certificate authorities in {@code caCertificates} (PEM); presents no certificate. */
  public static Tls trusting(Path caCertificates) {
    return new Tls(Objects.requireNonNull(caCertificates, "caCertificates"), null, null);
  }

  /**
   * The same trust, presenting {@code certificateChain} (PEM, the client's certificate first) with
   * its {@code privateKey} (PEM, PKCS#8) to a server that asks for one.
   */
  public Tls withClientCertificate(Path certificateChain, Path privateKey) {
    return new Tls(trustedCas, Objects.requireNonNull(certificateChain, "certificateChain"),
        Objects.requireNonNull(privateKey, "privateKey"));
  }

  /**
   * gRPC channel credentials for these settings.
   *
   * @throws IOException if a file cannot be read or holds no usable certificate or key
   */
  public ChannelCredentials credentials() throws IOException {
    TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
    if (trustedCas != null) {
      tls.trustManager(trustedCas.toFile());
    }
    if (certificateChain != null) {
      tls.keyManager(certificateChain.toFile(), privateKey.toFile());
    }
    return tls.build();
  }
}
