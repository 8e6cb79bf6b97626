package dev.abstractions.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.events.TestEvents;
import dev.abstractions.server.events.EventLog;
import dev.abstractions.server.events.EventLogSettings;
import dev.abstractions.server.events.EventSignal;
import dev.abstractions.server.events.SubscriptionHub;
import dev.abstractions.server.memory.MemoryBudget;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * FROM_OLDEST starts at the oldest event retained at the moment the subscription starts, however
 * the log moves meanwhile: the start is resolved and checked from one read of the log. Events that
 * age out between two reads of the oldest sequence would otherwise make the first read's answer
 * "too old" for the second, and the subscription be refused with OUT_OF_RANGE.
 *
 * <p>The log runs on a clock that moves past the age limit on every read, so that any second read
 * sees every event aged out; the service runs on a real server and channel.
 */
class EventSubscribeFromOldestTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration MAX_AGE = Duration.ofSeconds(10);

  /** A clock that stands still until told to move by a step on every read. */
  private static final class SteppingClock extends Clock {
    private volatile Instant now = START;
    private volatile Duration step = Duration.ZERO;

    void set(Instant at, Duration stepOnEveryRead) {
      now = at;
      step = stepOnEveryRead;
    }

    @Override
    public synchronized Instant instant() {
      Instant read = now;
      now = read.plus(step);
      return read;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void fromOldestStartsAtTheOldestRetainedEventEvenIfEventsAgeOutWhileItStarts() throws Exception {
    SteppingClock clock = new SteppingClock();
    EventSignal signal = new EventSignal();
    EventLog log = new EventLog(new EventLogSettings(100, MAX_AGE), clock, signal, MemoryBudget.unlimited());
    TestEvents.append(log, 3, START);
    // The events are 9.5 s old at the next read, 10.5 s (older than the limit) at the one after.
    clock.set(START.plusMillis(9_500), Duration.ofSeconds(1));

    try (SubscriptionHub hub = new SubscriptionHub(log, signal, Clock.systemUTC(), 10, 10,
        Duration.ofSeconds(30), MemoryBudget.unlimited())) {
      hub.start();
      Server server = Callers.install(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .directExecutor()
              .addService(new EventGrpcService(hub, ServerConfig.parse(new String[0]), MemoryBudget.unlimited())))
          .build()
          .start();
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
      try {
        Iterator<Event> stream = EventServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .subscribe(SubscribeRequest.newBuilder().setFromOldest(true).build());
        List<Long> sequences = new ArrayList<>();
        while (sequences.size() < 3) {
          sequences.add(stream.next().getSequence());
        }
        assertThat(sequences).containsExactly(1L, 2L, 3L);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
