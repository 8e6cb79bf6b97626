package dev.abstractions.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.abstractions.api.v1.Entity;
import dev.abstractions.client.AbstractionsClient;
import dev.abstractions.client.EntityServiceException;
import dev.abstractions.client.Structs;
import dev.abstractions.client.Tls;
import dev.abstractions.server.TestServer;
import dev.abstractions.server.operate.TestCertificates;
import io.grpc.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client against a server that requires client certificates (mutual TLS): it gets in
 * with a certificate from the server's client CA and is turned away without one.
 */
class MutualTlsClientTest {

  @TempDir
  Path dir;

  @Test
  void aClientPresentingACertificateFromTheClientCaIsServedAndOneWithoutIsNot() throws Exception {
    TestCertificates serverPki = new TestCertificates(dir, "server-ca");
    TestCertificates clientPki = new TestCertificates(dir, "client-ca");
    TestCertificates.Issued serverCert = serverPki.issue("server");
    TestCertificates.Issued clientCert = clientPki.issue("client");
    try (TestServer server = TestServer.start("--tls-cert", serverCert.certificate().toString(),
        "--tls-key", serverCert.key().toString(), "--tls-client-ca", clientPki.caFile().toString())) {
      String target = "localhost:" + server.port();

      try (AbstractionsClient admitted = AbstractionsClient.connect(target,
          Tls.trusting(serverPki.caFile()).withClientCertificate(clientCert.certificate(), clientCert.key()))) {
        Entity created = admitted.entities().create("Student", Structs.fromJson("{\"name\":\"Ada\"}"));
        assertThat(created.getVersion()).isEqualTo(1);
        assertThat(admitted.entities().get(created.getLineageId())).isEqualTo(created);
      }

      try (AbstractionsClient anonymous = AbstractionsClient.connect(target, Tls.trusting(serverPki.caFile()))) {
        EntityServiceException refused = catchThrowableOfType(EntityServiceException.class,
            () -> anonymous.entities().create("Student", Structs.fromJson("{}")));
        assertThat(refused).isNotNull();
        assertThat(refused.code()).isEqualTo(Status.Code.UNAVAILABLE);
      }
    }
  }
}
