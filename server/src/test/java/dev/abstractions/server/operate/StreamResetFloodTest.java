package dev.abstractions.server.operate;

import static dev.abstractions.server.operate.RawHttp2Connection.CANCEL;
import static dev.abstractions.server.operate.RawHttp2Connection.GOAWAY;
import static dev.abstractions.server.operate.RawHttp2Connection.PING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.server.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The defence against rapid-reset floods (CVE-2023-44487): a connection that opens and resets
 * more streams than {@code --max-stream-resets} (default 200) within {@code --stream-reset-window}
 * (default 10 s) is told to calm down and closed; other connections are served throughout. The
 * flooding client is a hand-written HTTP/2 connection, because gRPC clients reset streams only
 * when they cancel calls.
 */
class StreamResetFloodTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CREATE = "/" + EntityServiceGrpc.getCreateMethod().getFullMethodName();

  @Test
  void theResetPastTheDefaultLimitEndsThatConnectionAndOthersAreStillServed() throws Exception {
    try (TestServer server = TestServer.start();
        RawHttp2Connection flood = new RawHttp2Connection(server.port())) {
      EntityServiceGrpc.EntityServiceBlockingStub other = EntityServiceGrpc.newBlockingStub(server.channel());
      Entity before = other.create(CreateEntityRequest.newBuilder().setEntityType("T").build());

      int stream = 1;
      for (int i = 0; i < 200; i++, stream += 2) {
        flood.startCall(stream, CREATE);
        flood.resetStream(stream, CANCEL);
      }
      // 200 resets are within the limit: the connection still answers a ping.
      flood.ping(200);
      assertThat(flood.next(PING, true, WAIT).pingData()).isEqualTo(200);

      flood.startCall(stream, CREATE);
      flood.resetStream(stream, CANCEL);
      RawHttp2Connection.Frame goAway = flood.next(GOAWAY, false, WAIT);
      assertThat(goAway).as("GOAWAY after the 201st reset").isNotNull();
      assertThat(goAway.errorCode()).isEqualTo(RawHttp2Connection.ENHANCE_YOUR_CALM);
      assertThat(goAway.debugData()).isEqualTo("too_many_rststreams");
      assertThat(flood.closedWithin(WAIT)).isTrue();

      assertThat(other.get(GetEntityRequest.newBuilder().setLineageId(before.getLineageId()).build()))
          .isEqualTo(before);
      assertThat(other.create(CreateEntityRequest.newBuilder().setEntityType("T").build()).getVersion()).isEqualTo(1);
    }
  }

  @Test
  void aSmallerLimitIsHonoured() throws Exception {
    try (TestServer server = TestServer.start("--max-stream-resets", "5", "--stream-reset-window", "PT1M");
        RawHttp2Connection flood = new RawHttp2Connection(server.port())) {
      for (int stream = 1; stream <= 11; stream += 2) {
        flood.startCall(stream, CREATE);
        flood.resetStream(stream, CANCEL);
      }
      RawHttp2Connection.Frame goAway = flood.next(GOAWAY, false, WAIT);
      assertThat(goAway.errorCode()).isEqualTo(RawHttp2Connection.ENHANCE_YOUR_CALM);
      assertThat(goAway.debugData()).isEqualTo("too_many_rststreams");
    }
  }
}
