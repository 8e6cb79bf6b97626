package dev.abstractions.bench;

import com.google.inject.Injector;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.server.ServerModules;
import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.core.Refusal;
import dev.abstractions.server.core.StructBytes;
import dev.abstractions.server.ops.CommandDriver;
import dev.abstractions.server.ops.Outcome;
import dev.abstractions.server.store.EntityStore;
import dev.abstractions.server.store.Ids;
import dev.abstractions.server.store.RequestKey;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the compare-and-set write of the in-memory store as the server performs it
 * ({@link CommandDriver#update}: version check, gate check, stamp, new immutable version, history append
 * and the event that records it, in one atomic step), called directly, without gRPC.
 *
 * <p>{@code uncontended}: each thread updates its own lineage with the version it last wrote, so
 * every call commits; this is the cost of one accepted write (version check, stamp, new immutable
 * version, history append). It runs on one thread unless {@code -t} asks for more, each with its
 * own lineage in the same store. {@code hotKey}: all threads share one lineage and each call is one
 * step of a client's CAS loop, read the head then update with its version; the score counts both
 * outcomes, and the {@code commits} and {@code conflicts} secondary results split it into
 * successful writes per second and version conflicts per second.
 *
 * <p>Run from the repository root:
 *
 * <pre>
 * mvn -B -q package -DskipTests &amp;&amp; java -jar bench/target/benchmarks.jar StoreCasBenchmark
 * </pre>
 *
 * {@code hotKey} runs with 2 threads, one per core of the 2-core reference machine; to
 * oversubscribe the key, run
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar StoreCasBenchmark.hotKey -t 4
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StoreCasBenchmark {

  private static final String ENTITY_TYPE = "Student";

  /** About 100 bytes serialized, built once: the benchmarks measure the store, not the payload. */
  private static final StructBytes PAYLOAD = StructBytes.of(
      Struct.newBuilder()
          .putFields("name", Value.newBuilder().setStringValue("Ada Lovelace").build())
          .putFields("email", Value.newBuilder().setStringValue("ada@example.org").build())
          .putFields("year", Value.newBuilder().setNumberValue(1843).build())
          .putFields("grade", Value.newBuilder().setNumberValue(97.5).build())
          .putFields("enrolled", Value.newBuilder().setBoolValue(true).build())
          .build());

  /** One server core (driver, store, event log) per trial, wired as the server wires it. */
  @State(Scope.Benchmark)
  public static class SharedStore {
    final Injector injector = ServerModules.injector(ServerConfig.parse("--store", "memory"));
    final CommandDriver driver = injector.getInstance(CommandDriver.class);
    final EntityStore store = injector.getInstance(EntityStore.class);
  }

  /** A lineage only this thread writes, and the version it wrote last. */
  @State(Scope.Thread)
  public static class OwnLineage {
    String id;
    long version;

    @Setup(Level.Trial)
    public void create(SharedStore shared) {
      id = Ids.newId();
      version = created(shared.driver, id).version();
    }
  }

  /** The one lineage every thread writes. */
  @State(Scope.Benchmark)
  public static class HotLineage {
    String id;

    @Setup(Level.Trial)
    public void create(SharedStore shared) {
      id = Ids.newId();
      created(shared.driver, id);
    }
  }

  /**
   * Per-thread outcome counts, which JMH zeroes before each iteration and reports as rates. They
   * also count the calls made while JMH lines the threads up at the iteration's edges, so their
   * sum runs slightly above the primary score.
   */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Outcomes {
    public long commits;
    public long conflicts;
  }

  @Benchmark
  public EntityVersion uncontended(SharedStore shared, OwnLineage lineage) {
    Outcome<EntityVersion> result = shared.driver.update(RequestKey.NONE, lineage.id, lineage.version, PAYLOAD).join();
    if (!result.ok()) {
      throw new IllegalStateException("a lineage with one writer was refused: " + result.refusal());
    }
    lineage.version = result.value().version();
    return result.value();
  }

  @Benchmark
  @Threads(2)
  public boolean hotKey(SharedStore shared, HotLineage hot, Outcomes outcomes) {
    long head = shared.store.read(hot.id, 0).entity().version();
    Outcome<EntityVersion> result = shared.driver.update(RequestKey.NONE, hot.id, head, PAYLOAD).join();
    if (result.ok()) {
      outcomes.commits++;
    } else if (result.refusal().kind() == Refusal.Kind.VERSION_CONFLICT) {
      outcomes.conflicts++;
    } else {
      throw new IllegalStateException("the hot lineage only conflicts: " + result.refusal());
    }
    return result.ok();
  }

  private static EntityVersion created(CommandDriver driver, String id) {
    Outcome<EntityVersion> result = driver.create(RequestKey.NONE, id, "", ENTITY_TYPE, PAYLOAD).join();
    if (!result.ok()) {
      throw new IllegalStateException("could not create lineage " + id + ": " + result.refusal());
    }
    return result.value();
  }
}
