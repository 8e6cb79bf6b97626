package dev.abstractions.server.operate;

import static dev.abstractions.server.operate.RawHttp2Connection.DATA;
import static dev.abstractions.server.operate.RawHttp2Connection.GOAWAY;
import static dev.abstractions.server.operate.RawHttp2Connection.PING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.server.TestServer;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The keepalive policy: a client that pings more often than {@code --permit-keepalive-time} is
 * told to calm down and disconnected, one that keeps to it is answered, and the server pings a
 * connection with a call in flight once it has been quiet for {@code --keepalive-time}. The pinging client is a hand-written HTTP/2
 * connection, because gRPC clients refuse to ping more often than every 10 seconds.
 */
class KeepalivePolicyTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String SUBSCRIBE = "/" + EventServiceGrpc.getSubscribeMethod().getFullMethodName();

  @Test
  void pingingFasterThanPermittedEndsThatConnectionOnlyAfterThreeStrikes() throws Exception {
    try (TestServer server = TestServer.start("--permit-keepalive-time", "PT1M", "--progress-interval", "PT1M");
        RawHttp2Connection abusive = new RawHttp2Connection(server.port())) {
      // A call in flight, so the permitted interval is the configured one (idle connections may
      // not ping at all).
      abusive.startServerStreamingCall(1, SUBSCRIBE, SubscribeRequest.getDefaultInstance().toByteArray());
      assertThat(abusive.next(DATA, false, WAIT).streamId()).isEqualTo(1); // the opening bookmark

      abusive.ping(1);
      assertThat(abusive.next(PING, true, WAIT).pingData()).isEqualTo(1);
      abusive.ping(2);
      assertThat(abusive.next(PING, true, WAIT).pingData()).isEqualTo(2);
      abusive.ping(3);
      RawHttp2Connection.Frame goAway = abusive.next(GOAWAY, false, WAIT);
      assertThat(goAway.errorCode()).isEqualTo(RawHttp2Connection.ENHANCE_YOUR_CALM);
      assertThat(goAway.debugData()).isEqualTo("too_many_pings");
      assertThat(abusive.closedWithin(WAIT)).isTrue();

      // Everyone else is still served.
      assertThat(EntityServiceGrpc.newBlockingStub(server.channel())
          .create(CreateEntityRequest.newBuilder().setEntityType("T").build()).getVersion()).isEqualTo(1);
    }
  }

  @Test
  void pingsAtThePermittedIntervalAreAnsweredAndTheCallKeepsStreaming() throws Exception {
    try (TestServer server = TestServer.start("--permit-keepalive-time", "PT0.2S", "--progress-interval", "PT1M");
        RawHttp2Connection patient = new RawHttp2Connection(server.port())) {
      patient.startServerStreamingCall(1, SUBSCRIBE, SubscribeRequest.getDefaultInstance().toByteArray());
      assertThat(patient.next(DATA, false, WAIT).streamId()).isEqualTo(1);

      for (long ping = 1; ping <= 5; ping++) {
        Thread.sleep(300);
        patient.ping(ping);
        assertThat(patient.next(PING, true, WAIT).pingData()).isEqualTo(ping);
      }

      String created = EntityServiceGrpc.newBlockingStub(server.channel())
          .create(CreateEntityRequest.newBuilder().setEntityType("T").build()).getLineageId();
      RawHttp2Connection.Frame message = patient.next(DATA, false, WAIT);
      assertThat(message.streamId()).isEqualTo(1);
      byte[] payload = message.payload();
      Event event = Event.parseFrom(Arrays.copyOfRange(payload, 5, payload.length)); // after the gRPC prefix
      assertThat(event.getEntityCreated().getEntity().getLineageId()).isEqualTo(created);
    }
  }

  @Test
  void theServerPingsAConnectionQuietForTheKeepaliveTime() throws Exception {
    // gRPC's floor, the shortest keepalive time the server accepts.
    try (TestServer server = TestServer.start("--keepalive-time", "PT10S", "--progress-interval", "PT1M");
        RawHttp2Connection quiet = new RawHttp2Connection(server.port())) {
      quiet.startServerStreamingCall(1, SUBSCRIBE, SubscribeRequest.getDefaultInstance().toByteArray());
      // The server's flow-control ping for our request precedes its response on the wire, so
      // the next ping after the bookmark is the keepalive one.
      assertThat(quiet.next(DATA, false, WAIT).streamId()).isEqualTo(1);
      long quietSince = System.nanoTime();
      RawHttp2Connection.Frame ping = quiet.next(PING, false, Duration.ofSeconds(30));
      assertThat(Duration.ofNanos(System.nanoTime() - quietSince)).isGreaterThanOrEqualTo(Duration.ofMillis(9_900));
      assertThat(ping.isAck()).isFalse();
    }
  }
}
