package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.server.TestServer;
import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS, mutual TLS and bearer-token permissions, over real connections. */
class SecurityTest {

  @TempDir
  Path dir;

  @Test
  void tlsServesTrustingClientsAndRefusesPlaintextCleanly() throws Exception {
    TestCertificates pki = new TestCertificates(dir, "server-ca");
    TestCertificates.Issued cert = pki.issue("server");
    try (TestServer server = TestServer.start("--tls-cert", cert.certificate().toString(),
        "--tls-key", cert.key().toString())) {
      ManagedChannel tls = channel(server, TlsChannelCredentials.newBuilder().trustManager(pki.caFile().toFile()).build());
      ManagedChannel plaintext = channel(server, InsecureChannelCredentials.create());
      try {
        Entity created = EntityServiceGrpc.newBlockingStub(tls).create(CreateEntityRequest.newBuilder().setEntityType("T").build());
        assertThat(created.getVersion()).isEqualTo(1);
        assertThatThrownBy(() -> EntityServiceGrpc.newBlockingStub(plaintext).withDeadlineAfter(5, TimeUnit.SECONDS)
            .create(CreateEntityRequest.newBuilder().setEntityType("T").build()))
            .isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
      } finally {
        tls.shutdownNow();
        plaintext.shutdownNow();
      }
    }
  }

  @Test
  void mutualTlsAdmitsOnlyClientsWithACertificateFromTheClientCa() throws Exception {
    TestCertificates serverPki = new TestCertificates(dir, "server-ca");
    TestCertificates clientPki = new TestCertificates(dir, "client-ca");
    TestCertificates strangerPki = new TestCertificates(dir, "stranger-ca");
    TestCertificates.Issued serverCert = serverPki.issue("server");
    TestCertificates.Issued clientCert = clientPki.issue("client");
    TestCertificates.Issued strangerCert = strangerPki.issue("stranger");
    try (TestServer server = TestServer.start("--tls-cert", serverCert.certificate().toString(),
        "--tls-key", serverCert.key().toString(), "--tls-client-ca", clientPki.caFile().toString())) {
      ManagedChannel admitted = channel(server, TlsChannelCredentials.newBuilder()
          .trustManager(serverPki.caFile().toFile())
          .keyManager(clientCert.certificate().toFile(), clientCert.key().toFile()).build());
      ManagedChannel stranger = channel(server, TlsChannelCredentials.newBuilder()
          .trustManager(serverPki.caFile().toFile())
          .keyManager(strangerCert.certificate().toFile(), strangerCert.key().toFile()).build());
      ManagedChannel anonymous = channel(server,
          TlsChannelCredentials.newBuilder().trustManager(serverPki.caFile().toFile()).build());
      try {
        assertThat(EntityServiceGrpc.newBlockingStub(admitted)
            .create(CreateEntityRequest.newBuilder().setEntityType("T").build()).getVersion()).isEqualTo(1);
        for (ManagedChannel refused : new ManagedChannel[] {stranger, anonymous}) {
          assertThatThrownBy(() -> EntityServiceGrpc.newBlockingStub(refused).withDeadlineAfter(5, TimeUnit.SECONDS)
              .create(CreateEntityRequest.newBuilder().setEntityType("T").build()))
              .isInstanceOfSatisfying(StatusRuntimeException.class,
                  e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        }
      } finally {
        admitted.shutdownNow();
        stranger.shutdownNow();
        anonymous.shutdownNow();
      }
    }
  }

  @Test
  void tokensGrantReadOrWriteAndHealthNeedsNone() throws Exception {
    Path tokens = Files.writeString(dir.resolve("tokens"), "# roles\nread:reader-token\nwrite:writer-token\n");
    try (TestServer server = TestServer.start("--auth-tokens-file", tokens.toString())) {
      EntityServiceGrpc.EntityServiceBlockingStub anonymous = EntityServiceGrpc.newBlockingStub(server.channel());
      EntityServiceGrpc.EntityServiceBlockingStub reader = anonymous.withCallCredentials(bearer("reader-token"));
      EntityServiceGrpc.EntityServiceBlockingStub writer = anonymous.withCallCredentials(bearer("writer-token"));
      EntityServiceGrpc.EntityServiceBlockingStub impostor = anonymous.withCallCredentials(bearer("guess"));
      CreateEntityRequest create = CreateEntityRequest.newBuilder().setEntityType("T").build();

      Entity created = writer.create(create);
      assertThat(reader.get(GetEntityRequest.newBuilder().setLineageId(created.getLineageId()).build()))
          .isEqualTo(created);
      assertCode(() -> reader.create(create), Status.Code.PERMISSION_DENIED, "WRITE_NOT_PERMITTED");
      assertCode(() -> anonymous.create(create), Status.Code.UNAUTHENTICATED, "TOKEN_MISSING_OR_UNKNOWN");
      assertCode(() -> anonymous.get(GetEntityRequest.newBuilder().setLineageId(created.getLineageId()).build()),
          Status.Code.UNAUTHENTICATED, "TOKEN_MISSING_OR_UNKNOWN");
      assertCode(() -> impostor.get(GetEntityRequest.newBuilder().setLineageId(created.getLineageId()).build()),
          Status.Code.UNAUTHENTICATED, "TOKEN_MISSING_OR_UNKNOWN");

      // Streams too: an anonymous subscriber is refused, a reader streams.
      assertCode(() -> EventServiceGrpc.newBlockingStub(server.channel())
          .subscribe(SubscribeRequest.newBuilder().setFromSequence(1).build()).hasNext(),
          Status.Code.UNAUTHENTICATED, "TOKEN_MISSING_OR_UNKNOWN");
      Iterator<Event> events = EventServiceGrpc.newBlockingStub(server.channel())
          .withCallCredentials(bearer("reader-token")).withDeadlineAfter(5, TimeUnit.SECONDS)
          .subscribe(SubscribeRequest.newBuilder().setFromSequence(1).build());
      assertThat(events.next().getEntityCreated().getEntity()).isEqualTo(created);

      assertThat(HealthGrpc.newBlockingStub(server.channel()).check(HealthCheckRequest.getDefaultInstance())
          .getStatus()).isEqualTo(ServingStatus.SERVING);
    }
  }

  private static void assertCode(Runnable call, Status.Code code, String reason) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(io.grpc.protobuf.StatusProto.fromThrowable(e).getDetailsList())
          .anySatisfy(any -> assertThat(any.toString()).contains(reason));
    });
  }

  private static CallCredentials bearer(String token) {
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(RequestInfo info, java.util.concurrent.Executor executor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        applier.apply(headers);
      }
    };
  }

  private static ManagedChannel channel(TestServer server, ChannelCredentials credentials) {
    return Grpc.newChannelBuilderForAddress("localhost", server.port(), credentials).build();
  }
}
