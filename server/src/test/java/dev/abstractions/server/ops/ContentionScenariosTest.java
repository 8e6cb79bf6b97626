package dev.abstractions.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.client.AbstractionsClient;
import dev.abstractions.client.OperationOptions;
import dev.abstractions.client.OperationRejectedException;
import dev.abstractions.client.TargetBusyException;
import dev.abstractions.server.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Arbitration under heavy contention, end to end through the Java client: structural work always
 * gets through, every operation ends, and no committed increment is lost or doubled.
 */
class ContentionScenariosTest {

  private static final Function<Struct, Struct> INCREMENT = data -> data.toBuilder()
      .putFields("count", number(data.getFieldsOrThrow("count").getNumberValue() + 1)).build();

  @Test
  void structuralOperationsAlwaysSucceedUnderThirtyTwoLowAndNormalWriters() throws Exception {
    int targets = 4;
    long runNanos = TimeUnit.SECONDS.toNanos(4);
    try (TestServer server = TestServer.start("--operation-retention", "100000");
        AbstractionsClient client = AbstractionsClient.using(server.channel())) {
      List<String> ids = new ArrayList<>();
      for (int t = 0; t < targets; t++) {
        ids.add(client.entities().create("Counter", counter(0)).getLineageId());
      }
      AtomicLongArray committed = new AtomicLongArray(targets);
      Map<String, Long> rejectedByReason = new ConcurrentHashMap<>();
      List<OperationEntity> structural = java.util.Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(32 + targets);
      long deadline = System.nanoTime() + runNanos;
      List<Future<?>> running = new ArrayList<>();
      for (int w = 0; w < 32; w++) {
        PriorityClass cls = w % 2 == 0 ? PriorityClass.LOW : PriorityClass.NORMAL;
        int writer = w;
        running.add(pool.submit(() -> {
          for (int i = 0; System.nanoTime() < deadline; i++) {
            int target = (writer + i) % targets;
            try {
              client.operations().update(ids.get(target), INCREMENT, cls);
              committed.incrementAndGet(target);
            } catch (OperationRejectedException e) {
              rejectedByReason.merge(cls + "/" + e.reason(), 1L, Long::sum);
            } catch (TargetBusyException e) {
              rejectedByReason.merge(cls + "/shed at Begin", 1L, Long::sum);
            }
          }
          return null;
        }));
      }
      for (int t = 0; t < targets; t++) {
        int target = t;
        running.add(pool.submit(() -> {
          while (System.nanoTime() < deadline) {
            long started = System.nanoTime();
            Entity written = client.operations().update(ids.get(target), INCREMENT, PriorityClass.STRUCTURAL);
            committed.incrementAndGet(target);
            structural.add(client.operations().getOperation(written.getDerivedFromOpId()));
            long sleep = TimeUnit.MILLISECONDS.toNanos(20) - (System.nanoTime() - started);
            if (sleep > 0) {
              TimeUnit.NANOSECONDS.sleep(sleep);
            }
          }
          return null;
        }));
      }
      for (Future<?> future : running) {
        future.get(60, TimeUnit.SECONDS); // a STRUCTURAL rejection would surface here as a failure
      }
      pool.shutdown();

      System.out.printf("structural: %d ops, max charged retries %d; low/normal commits %d, rejections %s%n",
          structural.size(), structural.stream().mapToInt(OperationEntity::getRetryCount).max().orElse(0),
          sumOf(committed) - structural.size(), new TreeMap<>(rejectedByReason));
      assertThat(structural).hasSizeGreaterThan(targets * 10);
      assertThat(structural).allSatisfy(op -> {
        assertThat(op.getStatus()).isEqualTo(OperationStatus.SUCCEEDED);
        assertThat(op.getRetryCount()).isLessThanOrEqualTo(2);
      });
      for (int t = 0; t < targets; t++) {
        Entity latest = client.entities().get(ids.get(t));
        assertThat(latest.getData().getFieldsOrThrow("count").getNumberValue()).isEqualTo(committed.get(t));
        assertThat(client.operations().listOperations(ids.get(t),
            List.of(OperationStatus.PENDING, OperationStatus.RETRYING), 1000, "").getOperationsList())
            .as("every operation on target %d ended", t).isEmpty();
      }
    }
  }

  @Test
  void thirtyThousandMixedPriorityIncrementsAllEndAndAddUpExactly() throws Exception {
    int operations = 30_000;
    int targets = 3;
    try (TestServer server = TestServer.start("--operation-retention", "100000");
        AbstractionsClient client = AbstractionsClient.using(server.channel())) {
      List<String> ids = new ArrayList<>();
      for (int t = 0; t < targets; t++) {
        ids.add(client.entities().create("Counter", counter(0)).getLineageId());
      }
      AtomicLongArray committed = new AtomicLongArray(targets);
      Map<String, Long> outcomes = new ConcurrentHashMap<>();
      Semaphore inFlight = new Semaphore(64);
      List<CompletableFuture<Void>> all = new ArrayList<>(operations);
      for (int i = 0; i < operations; i++) {
        int roll = i % 10;
        OperationOptions options = roll == 0
            ? OperationOptions.of(PriorityClass.STRUCTURAL)
            : roll <= 3
                ? OperationOptions.builder(PriorityClass.NORMAL).priority(8).ttl(Duration.ofMinutes(5)).build()
                : OperationOptions.builder(PriorityClass.NORMAL).ttl(Duration.ofMinutes(5)).build();
        String label = roll == 0 ? "STRUCTURAL" : roll <= 3 ? "PRIORITY_8" : "NORMAL";
        int target = i % targets;
        inFlight.acquire();
        all.add(client.operations().updateAsync(ids.get(target), INCREMENT, options).handle((entity, error) -> {
          inFlight.release();
          if (error == null) {
            committed.incrementAndGet(target);
            outcomes.merge(label + " SUCCEEDED", 1L, Long::sum);
          } else if (error.getCause() instanceof OperationRejectedException rejected) {
            outcomes.merge(label + " REJECTED/" + rejected.reason(), 1L, Long::sum);
          } else {
            outcomes.merge(label + " ERROR " + error, 1L, Long::sum);
          }
          return null;
        }));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);

      System.out.println("30,000 operations by class and outcome: " + new TreeMap<>(outcomes));
      assertThat(outcomes.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(operations);
      assertThat(outcomes.keySet()).noneMatch(key -> key.contains("ERROR"));
      assertThat(outcomes.get("STRUCTURAL SUCCEEDED")).isEqualTo(operations / 10);
      assertThat(outcomes.keySet()).noneMatch(key -> key.startsWith("STRUCTURAL REJECTED"));
      for (int t = 0; t < targets; t++) {
        assertThat(client.entities().get(ids.get(t)).getData().getFieldsOrThrow("count").getNumberValue())
            .isEqualTo(committed.get(t));
        assertThat(client.operations().listOperations(ids.get(t),
            List.of(OperationStatus.PENDING, OperationStatus.RETRYING), 1000, "").getOperationsList())
            .as("every operation on target %d ended", t).isEmpty();
      }
    }
  }

  private static long sumOf(AtomicLongArray values) {
    long sum = 0;
    for (int i = 0; i < values.length(); i++) {
      sum += values.get(i);
    }
    return sum;
  }

  private static Struct counter(long n) {
    return Struct.newBuilder().putFields("count", number(n)).build();
  }

  private static Value number(double n) {
    return Value.newBuilder().setNumberValue(n).build();
  }
}
