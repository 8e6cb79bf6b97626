package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abstractions.server.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client watching health (a load balancer, a sidecar) does not hold the server's shutdown for
 * the whole grace period: its Watch hears NOT_SERVING and then ends UNAVAILABLE, as event streams
 * do, and the server stops without waiting for it.
 */
class HealthWatchShutdownTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void stoppingEndsHealthWatchesAfterNotServingInsteadOfWaitingOutTheGrace() throws Exception {
    TestServer server = TestServer.start("--shutdown-grace", "PT30S");
    boolean stopped = false;
    // A channel of its own: closing the server closes the server's test channel before stopping.
    ManagedChannel watcher = server.newChannel();
    try {
      BlockingQueue<Object> heard = new LinkedBlockingQueue<>();
      HealthGrpc.newStub(watcher).watch(HealthCheckRequest.getDefaultInstance(), recording(heard));
      assertThat(heard.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVING);

      long start = System.nanoTime();
      stopped = true;
      server.close();
      Duration stopping = Duration.ofNanos(System.nanoTime() - start);

      assertThat(stopping).isLessThan(Duration.ofSeconds(5));
      assertThat(heard.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(ServingStatus.NOT_SERVING);
      Object end = heard.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(end).isInstanceOf(Status.class);
      assertThat(((Status) end).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(((Status) end).getDescription()).isEqualTo("the server is shutting down");
      assertThat(heard).isEmpty();
    } finally {
      watcher.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      if (!stopped) {
        server.close();
      }
    }
  }

  /** Puts each status heard, then the stream's end (a Status, or "completed"), on {@code heard}. */
  private static StreamObserver<HealthCheckResponse> recording(BlockingQueue<Object> heard) {
    return new StreamObserver<>() {
      @Override
      public void onNext(HealthCheckResponse response) {
        heard.add(response.getStatus());
      }

      @Override
      public void onError(Throwable t) {
        heard.add(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        heard.add("completed");
      }
    };
  }
}
