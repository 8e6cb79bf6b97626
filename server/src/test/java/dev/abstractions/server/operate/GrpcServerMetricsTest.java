package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.server.ReflectionQueries;
import dev.abstractions.server.TestServer;
import dev.abstractions.server.events.SubscriptionHub;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The standard gRPC server metrics (go-grpc-prometheus names and labels) over a real server and
 * channel: exact started, handled, message and timing counts for unary calls, server streams the
 * client cancels (also while the server ends them), and a bidirectional stream; and the
 * build-info series.
 */
class GrpcServerMetricsTest {

  private static final String ENTITY = "grpc_service=\"abstractions.v1.EntityService\",grpc_type=\"unary\"";
  private static final String SUBSCRIBE =
      "grpc_method=\"Subscribe\",grpc_service=\"abstractions.v1.EventService\",grpc_type=\"server_stream\"";
  private static final String UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
  /** No Progress bookmarks during a test: a stream sends its opening bookmark and the events. */
  private static final String[] QUIET = {"--progress-interval", "PT1H"};

  @Test
  void unaryCallsAreCountedOnceByStatusCodeWithOneMessageEachWay() throws Exception {
    try (TestServer server = TestServer.start(QUIET)) {
      EntityServiceGrpc.EntityServiceBlockingStub entities = EntityServiceGrpc.newBlockingStub(server.channel());
      entities.create(CreateEntityRequest.newBuilder().setEntityType("M").build());
      entities.create(CreateEntityRequest.newBuilder().setEntityType("M").build());
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> entities.get(GetEntityRequest.newBuilder().setLineageId(UNKNOWN_ID).build()))
            .isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
      }

      Map<String, Double> metrics = MetricsEndpointTest.scrape(server.metricsPort());
      String create = "grpc_method=\"Create\"," + ENTITY;
      String get = "grpc_method=\"Get\"," + ENTITY;
      assertThat(metrics.get("grpc_server_started_total{" + create + "}")).isEqualTo(2.0);
      assertThat(metrics.get("grpc_server_handled_total{grpc_code=\"OK\"," + create + "}")).isEqualTo(2.0);
      assertThat(metrics.get("grpc_server_msg_received_total{" + create + "}")).isEqualTo(2.0);
      assertThat(metrics.get("grpc_server_msg_sent_total{" + create + "}")).isEqualTo(2.0);
      assertThat(metrics.get("grpc_server_handling_seconds_count{" + create + "}")).isEqualTo(2.0);

      assertThat(metrics.get("grpc_server_started_total{" + get + "}")).isEqualTo(3.0);
      assertThat(metrics.get("grpc_server_handled_total{grpc_code=\"NOT_FOUND\"," + get + "}")).isEqualTo(3.0);
      assertThat(metrics).doesNotContainKey("grpc_server_handled_total{grpc_code=\"OK\"," + get + "}");
      assertThat(metrics.get("grpc_server_msg_received_total{" + get + "}")).isEqualTo(3.0);
      assertThat(metrics.get("grpc_server_msg_sent_total{" + get + "}")).isEqualTo(0.0);
      assertThat(metrics.get("grpc_server_handling_seconds_count{" + get + "}")).isEqualTo(3.0);
    }
  }

  @Test
  void serverStreamsTheClientCancelsAreCountedAsHandledCancelled() throws Exception {
    try (TestServer server = TestServer.start(QUIET)) {
      List<HeldStream> streams = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        streams.add(HeldStream.open(EventServiceGrpc.newStub(server.channel()), 1));
      }
      for (HeldStream stream : streams) {
        stream.awaitEvents();
        stream.cancel();
      }

      Map<String, Double> metrics =
          awaitSample(server.metricsPort(), "grpc_server_handled_total{grpc_code=\"CANCELLED\"," + SUBSCRIBE + "}", 6.0);
      assertThat(metrics.get("grpc_server_handled_total{grpc_code=\"CANCELLED\"," + SUBSCRIBE + "}")).isEqualTo(6.0);
      assertThat(metrics.get("grpc_server_started_total{" + SUBSCRIBE + "}")).isEqualTo(6.0);
      assertThat(metrics.get("grpc_server_handling_seconds_count{" + SUBSCRIBE + "}")).isEqualTo(6.0);
      assertThat(metrics.keySet()).filteredOn(key -> key.startsWith("grpc_server_handled_total{")
          && key.contains("grpc_method=\"Subscribe\"") && !key.contains("CANCELLED")).isEmpty();
      // Each stream: its request in, its opening bookmark out.
      assertThat(metrics.get("grpc_server_msg_received_total{" + SUBSCRIBE + "}")).isEqualTo(6.0);
      assertThat(metrics.get("grpc_server_msg_sent_total{" + SUBSCRIBE + "}")).isEqualTo(6.0);
    }
  }

  @Test
  void everyStreamIsHandledExactlyOnceWhenTheClientCancelsWhileTheServerEndsIt() throws Exception {
    for (int round = 0; round < 5; round++) {
      try (TestServer server = TestServer.start(QUIET)) {
        List<HeldStream> streams = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          streams.add(HeldStream.open(EventServiceGrpc.newStub(server.channel()), 1));
        }
        for (HeldStream stream : streams) {
          stream.awaitOpened();
        }
        // The hub ends every stream UNAVAILABLE (as at shutdown) while the client cancels them.
        Thread ending = new Thread(server.injector().getInstance(SubscriptionHub.class)::close, "ending-streams");
        ending.start();
        for (HeldStream stream : streams) {
          stream.cancelNow();
        }
        ending.join(10_000);
        assertThat(ending.isAlive()).isFalse();

        String handled = "grpc_server_handled_total{";
        awaitSample(server.metricsPort(), "grpc_server_handling_seconds_count{" + SUBSCRIBE + "}", 40.0);
        Thread.sleep(100); // a second count of any call would land by now
        Map<String, Double> metrics = MetricsEndpointTest.scrape(server.metricsPort());
        Map<String, Double> subscribeHandled = new TreeMap<>();
        metrics.forEach((key, value) -> {
          if (key.startsWith(handled) && key.contains("grpc_method=\"Subscribe\"")) {
            subscribeHandled.put(key, value);
          }
        });
        assertThat(subscribeHandled.values().stream().mapToDouble(Double::doubleValue).sum())
            .as("handled, by code: %s", subscribeHandled).isEqualTo(40.0);
        assertThat(subscribeHandled.keySet()).allMatch(
            key -> key.contains("grpc_code=\"CANCELLED\"") || key.contains("grpc_code=\"UNAVAILABLE\""));
        assertThat(metrics.get("grpc_server_started_total{" + SUBSCRIBE + "}")).isEqualTo(40.0);
        assertThat(metrics.get("grpc_server_handling_seconds_count{" + SUBSCRIBE + "}")).isEqualTo(40.0);
      }
    }
  }

  @Test
  void aServerStreamCountsEveryEventItSentAndTheOneRequestItReceived() throws Exception {
    try (TestServer server = TestServer.start(QUIET)) {
      HeldStream stream = HeldStream.open(EventServiceGrpc.newStub(server.channel()), 1 + 5);
      EntityServiceGrpc.EntityServiceBlockingStub entities = EntityServiceGrpc.newBlockingStub(server.channel());
      stream.awaitOpened();
      for (int i = 0; i < 5; i++) {
        entities.create(CreateEntityRequest.newBuilder().setEntityType("M").build());
      }
      List<Event> received = stream.awaitEvents();

      Map<String, Double> metrics = MetricsEndpointTest.scrape(server.metricsPort());
      assertThat(received).hasSize(6); // the opening bookmark and one EntityCreated per create
      assertThat(metrics.get("grpc_server_msg_sent_total{" + SUBSCRIBE + "}")).isEqualTo(6.0);
      assertThat(metrics.get("grpc_server_msg_received_total{" + SUBSCRIBE + "}")).isEqualTo(1.0);
      assertThat(metrics.get("grpc_server_started_total{" + SUBSCRIBE + "}")).isEqualTo(1.0);
      assertThat(metrics.keySet()).filteredOn(key -> key.startsWith("grpc_server_handled_total{")
          && key.contains("grpc_method=\"Subscribe\"")).isEmpty(); // still open
      stream.cancel();
    }
  }

  @Test
  void aBidirectionalStreamIsLabelledBidiStream() throws Exception {
    try (TestServer server = TestServer.start(QUIET)) {
      assertThat(ReflectionQueries.listServicesV1(server.channel())).contains("abstractions.v1.EventService");

      String reflection = "grpc_method=\"ServerReflectionInfo\",grpc_service=\"grpc.reflection.v1.ServerReflection\","
          + "grpc_type=\"bidi_stream\"";
      Map<String, Double> metrics =
          awaitSample(server.metricsPort(), "grpc_server_handled_total{grpc_code=\"OK\"," + reflection + "}", 1.0);
      assertThat(metrics.get("grpc_server_handled_total{grpc_code=\"OK\"," + reflection + "}")).isEqualTo(1.0);
      assertThat(metrics.get("grpc_server_started_total{" + reflection + "}")).isEqualTo(1.0);
      assertThat(metrics.get("grpc_server_msg_received_total{" + reflection + "}")).isEqualTo(1.0);
      assertThat(metrics.get("grpc_server_msg_sent_total{" + reflection + "}")).isEqualTo(1.0);
    }
  }

  @Test
  void buildInfoNamesTheVersionOfTheClassesRunning() throws Exception {
    try (TestServer server = TestServer.start()) {
      // Tests run from classes, not the jar, so no manifest names a version.
      assertThat(MetricsEndpointTest.scrape(server.metricsPort()).get("abstractions_build_info{version=\"dev\"}"))
          .isEqualTo(1.0);
    }
  }

  /**
   * Scrapes until {@code sample} has {@code expected} (counts the server updates after the client
   * has moved on, such as a cancellation's) or 10 seconds pass, and returns the last scrape.
   */
  private static Map<String, Double> awaitSample(int port, String sample, double expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Map<String, Double> metrics = MetricsEndpointTest.scrape(port);
    while (!Objects.equals(metrics.get(sample), expected) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      metrics = MetricsEndpointTest.scrape(port);
    }
    return metrics;
  }

  /** A from-now subscription the test holds open, collects the first events of, and cancels. */
  private static final class HeldStream implements ClientResponseObserver<SubscribeRequest, Event> {

    private final List<Event> events = new ArrayList<>();
    private final CountDownLatch opened = new CountDownLatch(1);
    private final CountDownLatch enough;
    private final CompletableFuture<Throwable> ended = new CompletableFuture<>();
    private volatile ClientCallStreamObserver<SubscribeRequest> call;

    private HeldStream(int expected) {
      this.enough = new CountDownLatch(expected);
    }

    static HeldStream open(EventServiceGrpc.EventServiceStub events, int expected) {
      HeldStream stream = new HeldStream(expected);
      events.subscribe(SubscribeRequest.getDefaultInstance(), stream);
      return stream;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SubscribeRequest> requestStream) {
      call = requestStream;
    }

    @Override
    public synchronized void onNext(Event event) {
      events.add(event);
      opened.countDown();
      enough.countDown();
    }

    @Override
    public void onError(Throwable error) {
      ended.complete(error);
    }

    @Override
    public void onCompleted() {
      ended.complete(null);
    }

    void awaitOpened() throws InterruptedException {
      assertThat(opened.await(10, TimeUnit.SECONDS)).as("opening bookmark arrived").isTrue();
    }

    synchronized List<Event> eventsSoFar() {
      return List.copyOf(events);
    }

    List<Event> awaitEvents() throws InterruptedException {
      assertThat(enough.await(10, TimeUnit.SECONDS)).as("expected events arrived").isTrue();
      return eventsSoFar();
    }

    /** Cancels the stream from the client, however the server may have ended it meanwhile. */
    void cancelNow() {
      call.cancel("the test is done with it", null);
    }

    /** Cancels the stream from the client and waits until the client has seen it end. */
    void cancel() throws Exception {
      call.cancel("the test is done with it", null);
      Throwable error = ended.get(10, TimeUnit.SECONDS);
      assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.CANCELLED);
    }
  }
}
