package dev.abstractions.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityHistoryResponse;
import dev.abstractions.client.EntityClient;
import dev.abstractions.client.VersionConflictException;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * Many clients racing compare-and-set increments on a few hot entities over real connections: no
 * increment is lost or applied twice, and every lineage is a gap-free chain.
 */
class ConcurrentCompareAndSetTest {

  private static final int THREADS = 16;
  private static final int INCREMENTS_PER_THREAD = 500;
  private static final int ENTITIES = 4;

  @Test
  void sixteenClientsIncrementingFourHotEntitiesLoseNoUpdateAndLeaveGapFreeChains() throws Exception {
    try (TestServer server = TestServer.start("--history-limit", "10000")) {
      EntityClient setup = EntityClient.using(server.channel());
      List<String> ids = new ArrayList<>();
      for (int e = 0; e < ENTITIES; e++) {
        ids.add(setup.create("Counter", count(0)).getLineageId());
      }
      AtomicLongArray applied = new AtomicLongArray(ENTITIES);
      List<ManagedChannel> channels = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<Long>> conflicts = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          ManagedChannel channel = server.newChannel();
          channels.add(channel);
          EntityClient client = EntityClient.using(channel);
          int thread = t;
          conflicts.add(pool.submit(() -> {
            long lost = 0;
            for (int i = 0; i < INCREMENTS_PER_THREAD; i++) {
              int target = (thread + i) % ENTITIES;
              lost += incrementUntilApplied(client, ids.get(target));
              applied.incrementAndGet(target);
            }
            return lost;
          }));
        }
        long totalConflicts = 0;
        for (Future<Long> f : conflicts) {
          totalConflicts += f.get(120, TimeUnit.SECONDS);
        }
        assertThat(totalConflicts).as("the entities were contended").isPositive();
      } finally {
        pool.shutdownNow();
        for (ManagedChannel channel : channels) {
          channel.shutdownNow();
        }
      }

      long total = 0;
      for (int e = 0; e < ENTITIES; e++) {
        Entity latest = setup.get(ids.get(e));
        long expected = applied.get(e);
        total += expected;
        assertThat(latest.getData().getFieldsOrThrow("count").getNumberValue()).isEqualTo(expected);
        assertThat(latest.getVersion()).isEqualTo(expected + 1);
        assertGapFreeChain(setup, ids.get(e), expected + 1);
      }
      assertThat(total).isEqualTo((long) THREADS * INCREMENTS_PER_THREAD);
    }
  }

  /** Read, add one, compare-and-set; on conflict read again. Returns the conflicts suffered. */
  private static long incrementUntilApplied(EntityClient client, String id) {
    long conflicts = 0;
    Entity current = client.get(id);
    while (true) {
      double next = current.getData().getFieldsOrThrow("count").getNumberValue() + 1;
      try {
        client.update(id, current.getVersion(), count(next));
        return conflicts;
      } catch (VersionConflictException e) {
        conflicts++;
        current = client.get(id);
      }
    }
  }

  private static void assertGapFreeChain(EntityClient client, String id, long headVersion) {
    List<Entity> chain = new ArrayList<>();
    String token = "";
    do {
      EntityHistoryResponse page = client.history(id, 1000, token);
      chain.addAll(page.getVersionsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());

    assertThat(chain).hasSize((int) headVersion);
    for (int i = 0; i < chain.size(); i++) {
      Entity version = chain.get(i);
      assertThat(version.getVersion()).isEqualTo(i + 1);
      assertThat(version.getData().getFieldsOrThrow("count").getNumberValue()).isEqualTo(i);
      if (i > 0) {
        Entity previous = chain.get(i - 1);
        assertThat(version.getPreviousEcsId()).isEqualTo(previous.getEcsId());
        assertThat(version.getLastModifiedNs()).isGreaterThan(previous.getLastModifiedNs());
      }
    }
  }

  private static Struct count(double value) {
    return Struct.newBuilder().putFields("count", Value.newBuilder().setNumberValue(value).build()).build();
  }
}
