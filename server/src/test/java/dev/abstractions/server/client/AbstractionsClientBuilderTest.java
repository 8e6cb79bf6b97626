package dev.abstractions.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.client.AbstractionsClient;
import dev.abstractions.client.AccessDeniedException;
import dev.abstractions.client.EntityServiceException;
import dev.abstractions.client.EventListener;
import dev.abstractions.client.Structs;
import dev.abstractions.server.TestServer;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link AbstractionsClient#builder}: the bearer token reaches every service, the default deadline
 * ends unary calls to a server that never answers and leaves streams alone, and UNAVAILABLE is
 * retried exactly as often as asked. Over real channels to a real server (or, for the deadline, a
 * listener that accepts connections and never speaks).
 */
class AbstractionsClientBuilderTest {

  @Test
  void aClientWithTheBearerTokenWritesReadsAndSubscribesAndOneWithoutIsDeniedUnauthenticated() throws Exception {
    try (TestServer server = TestServer.start("--auth-tokens", "write:secret");
        AbstractionsClient writer = AbstractionsClient.builder(target(server)).bearerToken("secret").build();
        AbstractionsClient anonymous = AbstractionsClient.builder(target(server)).build();
        AbstractionsClient impostor = AbstractionsClient.builder(target(server)).bearerToken("guess").build()) {
      Entity created = writer.entities().create("Student", Structs.fromJson("{\"credits\":3}"));
      assertThat(writer.entities().get(created.getLineageId())).isEqualTo(created);
      Entity incremented = writer.operations().execute(created.getLineageId(), "increment",
          Structs.fromJson("{\"path\":\"credits\"}"), PriorityClass.NORMAL);
      assertThat(incremented.getData()).isEqualTo(Structs.fromJson("{\"credits\":4}"));
      Recorder recorder = new Recorder();
      writer.subscribe(SubscribeRequest.newBuilder().setFromSequence(1).build(), recorder);
      assertThat(recorder.events.poll(10, TimeUnit.SECONDS).getEntityCreated().getEntity()).isEqualTo(created);

      for (AbstractionsClient refused : new AbstractionsClient[] {anonymous, impostor}) {
        assertThatThrownBy(() -> refused.entities().create("Student", Structs.fromJson("{}")))
            .isInstanceOfSatisfying(AccessDeniedException.class, e -> {
              assertThat(e.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.reason()).isEqualTo("TOKEN_MISSING_OR_UNKNOWN");
            });
        assertThatThrownBy(() -> refused.entities().get(created.getLineageId()))
            .isInstanceOfSatisfying(AccessDeniedException.class,
                e -> assertThat(e.code()).isEqualTo(Status.Code.UNAUTHENTICATED));
      }
      assertThat(recorder.errors).isEmpty();
    }
  }

  @Test
  @Timeout(30)
  void theDefaultDeadlineEndsUnaryCallsToAListenerThatNeverAnswers() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        AbstractionsClient client = AbstractionsClient.builder("127.0.0.1:" + silent.getLocalPort())
            .defaultDeadline(Duration.ofMillis(300)).build()) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> client.entities().get("5f0c6a52-44a2-4a4c-9d55-3b3e0e1f3a10"))
          .isInstanceOfSatisfying(EntityServiceException.class,
              e -> assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
      Duration blocked = Duration.ofNanos(System.nanoTime() - start);
      assertThat(blocked).isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));

      assertThatThrownBy(() -> client.entities().getAsync("5f0c6a52-44a2-4a4c-9d55-3b3e0e1f3a10")
          .get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(EntityServiceException.class,
              e -> assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
      assertThatThrownBy(() -> client.operations().getOperation("5f0c6a52-44a2-4a4c-9d55-3b3e0e1f3a10"))
          .isInstanceOfSatisfying(EntityServiceException.class,
              e -> assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    }
  }

  @Test
  void aSubscriptionOutlivesTheDefaultDeadline() throws Exception {
    try (TestServer server = TestServer.start();
        AbstractionsClient client = AbstractionsClient.builder(target(server))
            .defaultDeadline(Duration.ofMillis(200)).build()) {
      Recorder recorder = new Recorder();
      client.subscribe(SubscribeRequest.newBuilder().setFromSequence(1).build(), recorder);
      Thread.sleep(800);

      Entity created = client.entities().create("Student", Structs.fromJson("{}"));

      assertThat(recorder.events.poll(10, TimeUnit.SECONDS).getEntityCreated().getEntity()).isEqualTo(created);
      assertThat(recorder.errors).isEmpty();
    }
  }

  @Test
  void unavailableIsRetriedUntilTheCallSucceeds() throws Exception {
    try (TestServer server = TestServer.start();
        Relay relay = new Relay(server, 2);
        AbstractionsClient client = AbstractionsClient.builder(relay.target()).retryOnUnavailable(3).build()) {
      Entity created = client.entities().create("Student", Structs.fromJson("{\"name\":\"Ada\"}"));

      assertThat(relay.attempts.get()).isEqualTo(3);
      assertThat(EntityServiceGrpc.newBlockingStub(server.channel())
          .get(GetEntityRequest.newBuilder().setLineageId(created.getLineageId()).build())).isEqualTo(created);
    }
  }

  @Test
  void unavailableIsRetriedNoMoreThanMaxAttemptsAndThenThrown() throws Exception {
    try (TestServer server = TestServer.start();
        Relay relay = new Relay(server, 10);
        AbstractionsClient client = AbstractionsClient.builder(relay.target()).retryOnUnavailable(3).build()) {
      assertThatThrownBy(() -> client.entities().get("5f0c6a52-44a2-4a4c-9d55-3b3e0e1f3a10"))
          .isInstanceOfSatisfying(EntityServiceException.class,
              e -> assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE));

      assertThat(relay.attempts.get()).isEqualTo(3);
    }
  }

  @Test
  void withoutRetryOnUnavailableACallIsMadeOnce() throws Exception {
    try (TestServer server = TestServer.start();
        Relay relay = new Relay(server, 1);
        AbstractionsClient client = AbstractionsClient.builder(relay.target()).build()) {
      assertThatThrownBy(() -> client.entities().create("Student", Structs.fromJson("{}")))
          .isInstanceOfSatisfying(EntityServiceException.class,
              e -> assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE));

      assertThat(relay.attempts.get()).isEqualTo(1);
    }
  }

  @Test
  void theBuilderRefusesSettingsThatCannotWork() {
    AbstractionsClient.Builder builder = AbstractionsClient.builder("127.0.0.1:1");
    assertThatThrownBy(() -> builder.bearerToken("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.bearerToken("two words")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.defaultDeadline(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.keepAlive(Duration.ofSeconds(30), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.retryOnUnavailable(0)).isInstanceOf(IllegalArgumentException.class);
  }

  private static String target(TestServer server) {
    return "127.0.0.1:" + server.port();
  }

  /**
   * A gRPC server in front of the real one: it answers the first {@code failures} calls
   * UNAVAILABLE itself, counting every attempt, and relays later calls' Create and Get to the
   * real server.
   */
  private static final class Relay implements AutoCloseable {

    final AtomicInteger attempts = new AtomicInteger();
    private final Server front;

    Relay(TestServer server, int failures) throws IOException {
      EntityServiceGrpc.EntityServiceStub upstream = EntityServiceGrpc.newStub(server.channel());
      EntityServiceGrpc.EntityServiceImplBase relay = new EntityServiceGrpc.EntityServiceImplBase() {
        @Override
        public void create(CreateEntityRequest request, StreamObserver<Entity> response) {
          upstream.create(request, response);
        }

        @Override
        public void get(GetEntityRequest request, StreamObserver<Entity> response) {
          upstream.get(request, response);
        }
      };
      ServerInterceptor failFirst = new ServerInterceptor() {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
          if (attempts.incrementAndGet() <= failures) {
            call.close(Status.UNAVAILABLE.withDescription("refused by the test's relay"), new Metadata());
            return new ServerCall.Listener<>() {};
          }
          return next.startCall(call, headers);
        }
      };
      this.front = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
          .addService(ServerInterceptors.intercept(relay, failFirst))
          .build()
          .start();
    }

    String target() {
      return "127.0.0.1:" + front.getPort();
    }

    @Override
    public void close() throws InterruptedException {
      front.shutdownNow();
      front.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static final class Recorder implements EventListener {

    final BlockingQueue<Event> events = new ArrayBlockingQueue<>(100);
    final BlockingQueue<RuntimeException> errors = new ArrayBlockingQueue<>(10);

    @Override
    public void onEvent(Event event) {
      events.add(event);
    }

    @Override
    public void onError(RuntimeException error) {
      errors.add(error);
    }
  }
}
