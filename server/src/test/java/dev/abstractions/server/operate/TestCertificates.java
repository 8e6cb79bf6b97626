package dev.abstractions.server.operate;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away CA that signs server and client certificates for the TLS tests, written as PEM. */
public final class TestCertificates {

  /** PEM files of one certificate and its key. */
  public record Issued(Path certificate, Path key) {}

  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate ca;
  private final Path caFile;
  private long serial = 1;

  public TestCertificates(Path dir, String name) throws Exception {
    this.dir = dir;
    this.caKeys = keys();
    this.ca = sign(new X500Name("CN=" + name), caKeys, true, null);
    this.caFile = write(name + "-ca.pem", ca);
  }

  public Path caFile() {
    return caFile;
  }

  /** A certificate for {@code localhost} / 127.0.0.1 signed by this CA. */
  public Issued issue(String name) throws Exception {
    KeyPair keys = keys();
    X509Certificate certificate = sign(new X500Name("CN=" + name), keys, false,
        new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    return new Issued(write(name + ".pem", certificate), write(name + ".key", keys.getPrivate()));
  }

  private X509Certificate sign(X500Name subject, KeyPair keys, boolean isCa, GeneralNames names) throws Exception {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
        isCa ? subject : new X500Name(ca.getSubjectX500Principal().getName()),
        BigInteger.valueOf(serial++),
        Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        keys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (names != null) {
      builder.addExtension(Extension.subjectAlternativeName, false, names);
    }
    PrivateKey signer = isCa ? keys.getPrivate() : caKeys.getPrivate();
    ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
    return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
  }

  private static KeyPair keys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  private Path write(String file, Object pemObject) throws IOException {
    Path path = dir.resolve(file);
    try (Writer writer = Files.newBufferedWriter(path); JcaPEMWriter pem = new JcaPEMWriter(writer)) {
      // PKCS#8 for keys: the form Netty's TLS reads.
      pem.writeObject(pemObject instanceof PrivateKey key
          ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : pemObject);
    }
    return path;
  }
}
