package dev.abstractions.bench;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.server.store.EntityStore;
import dev.abstractions.server.store.Ids;
import dev.abstractions.server.store.InMemoryEntityStore;
import dev.abstractions.server.store.Provenance;
import dev.abstractions.server.store.StoreSettings;
import dev.abstractions.server.store.WriteResult;
import java.time.Clock;
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
 * Throughput of the compare-and-set write ({@link EntityStore#update}) of the in-memory store,
 * called directly, without gRPC or Guice.
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
 * mvn -B -q install -DskipTests &amp;&amp; java -jar bench/target/benchmarks.jar StoreCasBenchmark
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
  private static final Struct PAYLOAD =
      Struct.newBuilder()
          .putFields("name", Value.newBuilder().setStringValue("Ada Lovelace").build())
          .putFields("email", Value.newBuilder().setStringValue("ada@example.org").build())
          .putFields("year", Value.newBuilder().setNumberValue(1843).build())
          .putFields("grade", Value.newBuilder().setNumberValue(97.5).build())
          .putFields("enrolled", Value.newBuilder().setBoolValue(true).build())
          .build();

  /** One store per trial, shared by all threads. */
  @State(Scope.Benchmark)
  public static class SharedStore {
    final EntityStore store = new InMemoryEntityStore(Clock.systemUTC(), new StoreSettings(100));
  }

  /** A lineage only this thread writes, and the version it wrote last. */
  @State(Scope.Thread)
  public static class OwnLineage {
    String id;
    long version;

    @Setup(Level.Trial)
    public void create(SharedStore shared) {
      id = Ids.newId();
      version = created(shared.store, id).getVersion();
    }
  }

  /** The one lineage every thread writes. */
  @State(Scope.Benchmark)
  public static class HotLineage {
    String id;

    @Setup(Level.Trial)
    public void create(SharedStore shared) {
      id = Ids.newId();
      created(shared.store, id);
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
  public Entity uncontended(SharedStore shared, OwnLineage lineage) {
    WriteResult result = shared.store.update(lineage.id, lineage.version, PAYLOAD, Provenance.NONE);
    if (result.kind() != WriteResult.Kind.WRITTEN) {
      throw new IllegalStateException("a lineage with one writer conflicted: " + result.kind());
    }
    lineage.version = result.entity().getVersion();
    return result.entity();
  }

  @Benchmark
  @Threads(2)
  public WriteResult.Kind hotKey(SharedStore shared, HotLineage hot, Outcomes outcomes) {
    long head = shared.store.read(hot.id, 0).entity().getVersion();
    WriteResult.Kind kind = shared.store.update(hot.id, head, PAYLOAD, Provenance.NONE).kind();
    switch (kind) {
      case WRITTEN -> outcomes.commits++;
      case VERSION_CONFLICT -> outcomes.conflicts++;
      default -> throw new IllegalStateException("the hot lineage is never deleted: " + kind);
    }
    return kind;
  }

  private static Entity created(EntityStore store, String id) {
    WriteResult result = store.create(id, ENTITY_TYPE, PAYLOAD, Provenance.NONE);
    if (result.kind() != WriteResult.Kind.WRITTEN) {
      throw new IllegalStateException("could not create lineage " + id + ": " + result.kind());
    }
    return result.entity();
  }
}
