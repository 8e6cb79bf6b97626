package dev.abstractions.bench.load;

import com.google.inject.Injector;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.server.ServerModules;
import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.core.StructBytes;
import dev.abstractions.server.ops.CommandDriver;
import dev.abstractions.server.ops.Outcome;
import dev.abstractions.server.store.EntityStore;
import dev.abstractions.server.store.Ids;
import dev.abstractions.server.store.RequestKey;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * (g) Heap bytes per stored entity: fills a store, wired as the server wires it (default settings:
 * history, event log), through {@link CommandDriver#create}, and compares the heap used after full GCs.
 * Each entity gets its own 100-byte (serialized) payload. The payloads are built and measured
 * first, so the store's own cost per entity (ids, versions, timestamps, the lineage, the map entry,
 * the history ring, the retained events) is what it adds beyond them.
 *
 * <pre>java -Xmx4g -cp bench/target/benchmarks.jar dev.abstractions.bench.load.HeapPerEntity --count 1000000</pre>
 *
 * With {@code --versions V} it measures instead the heap each stored version takes beyond its
 * encoded size, for lineages of V versions each:
 *
 * <pre>java -Xmx3g -cp bench/target/benchmarks.jar dev.abstractions.bench.load.HeapPerEntity --count 20000 --versions 100</pre>
 *
 * The last line is {@code key=value} pairs for the matrix to read.
 */
public final class HeapPerEntity {

  private HeapPerEntity() {}

  public static void main(String[] args) throws InterruptedException {
    int count = 1_000_000;
    int versions = 1;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--count") && i + 1 < args.length) {
        count = Integer.parseInt(args[++i]);
      } else if (args[i].equals("--versions") && i + 1 < args.length) {
        versions = Integer.parseInt(args[++i]);
      } else {
        System.err.println("usage: HeapPerEntity [--count N] [--versions V]");
        System.exit(2);
      }
    }
    if (versions > 1) {
      perVersion(count, versions);
      return;
    }
    Injector injector = ServerModules.injector(ServerConfig.parse("--store", "memory", "--port", "0", "--metrics-port", "-1"));
    CommandDriver driver = injector.getInstance(CommandDriver.class);
    String[] ids = new String[count];
    for (int i = 0; i < count; i++) {
      ids[i] = Ids.newId(); // the request's id string: the client's, not the store's cost
    }
    long empty = usedAfterFullGc();
    StructBytes[] payloads = new StructBytes[count];
    for (int i = 0; i < count; i++) {
      payloads[i] = payload(i);
    }
    long withPayloads = usedAfterFullGc();
    for (int i = 0; i < count; i++) {
      Outcome<?> created = driver.create(RequestKey.NONE, ids[i], "", "Student", payloads[i]).join();
      if (!created.ok()) {
        throw new IllegalStateException("create refused: " + created.refusal());
      }
    }
    long stored = usedAfterFullGc();
    double payloadHeap = (double) (withPayloads - empty) / count;
    double beyond = (double) (stored - withPayloads) / count;
    System.out.printf(Locale.ROOT, "%,d entities of %d serialized payload bytes (%.0f heap bytes each as bytes)%n",
        count, payloads[0].size(), payloadHeap);
    System.out.printf(Locale.ROOT, "store cost beyond the payload: %.0f bytes per entity%n", beyond);
    System.out.printf(Locale.ROOT, "entities=%d payload_serialized_bytes=%d payload_heap_bytes=%.1f beyond_payload_bytes=%.1f%n",
        count, payloads[0].size(), payloadHeap, beyond);
    // Keep everything reachable until the last measurement.
    if (ids.length + payloads.length == 1) {
      System.out.println(driver);
    }
  }

  /**
   * The heap each stored version takes beyond its encoded size, for {@code count} lineages of
   * {@code versions} versions each (within the default history of 100): the event log is cut to
   * a couple of events, so only the store's own holding is measured.
   */
  private static void perVersion(int count, int versions) throws InterruptedException {
    Injector injector = ServerModules.injector(ServerConfig.parse("--store", "memory", "--port", "0", "--metrics-port", "-1",
        "--event-retention", "1", "--history-limit", Integer.toString(versions)));
    CommandDriver driver = injector.getInstance(CommandDriver.class);
    EntityStore store = injector.getInstance(EntityStore.class);
    String[] ids = new String[count];
    StructBytes[] payloads = new StructBytes[count];
    for (int i = 0; i < count; i++) {
      ids[i] = Ids.newId();
      payloads[i] = payload(i);
    }
    long before = usedAfterFullGc();
    long encoded = 0;
    for (int i = 0; i < count; i++) {
      EntityVersion written = driver.create(RequestKey.NONE, ids[i], "", "Student", payloads[i]).join().value();
      encoded += written.encodedSize();
      for (int v = 2; v <= versions; v++) {
        written = driver.update(RequestKey.NONE, ids[i], v - 1, payloads[i]).join().value();
        encoded += written.encodedSize();
      }
    }
    long stored = usedAfterFullGc();
    long held = (long) count * versions;
    if (store.history(ids[0], 1, versions).orElseThrow().versions().size() != Math.min(versions, 100)) {
      throw new IllegalStateException("history does not hold every version");
    }
    double perVersion = (double) (stored - before) / held;
    double encodedPerVersion = (double) encoded / held;
    System.out.printf(Locale.ROOT, "%,d lineages x %d versions: %.0f heap bytes per stored version, %.0f of them "
        + "encoded, %.0f beyond%n", count, versions, perVersion, encodedPerVersion, perVersion - encodedPerVersion);
    System.out.printf(Locale.ROOT, "lineages=%d versions=%d heap_per_version=%.1f encoded_per_version=%.1f "
        + "beyond_encoded=%.1f%n", count, versions, perVersion, encodedPerVersion, perVersion - encodedPerVersion);
    if (ids.length + payloads.length == 1) {
      System.out.println(driver);
    }
  }

  /** About 100 bytes serialized, like the store benchmark's payload, different for every entity. */
  static StructBytes payload(int i) {
    return StructBytes.of(Struct.newBuilder()
        .putFields("name", Value.newBuilder().setStringValue(String.format(Locale.ROOT, "Student %08d", i)).build())
        .putFields("email", Value.newBuilder().setStringValue(String.format(Locale.ROOT, "s%08d@example.org", i)).build())
        .putFields("year", Value.newBuilder().setNumberValue(1843 + i % 100).build())
        .putFields("grade", Value.newBuilder().setNumberValue(i % 1000 / 10.0).build())
        .putFields("enrolled", Value.newBuilder().setBoolValue(i % 2 == 0).build())
        .build());
  }

  private static long usedAfterFullGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(200);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
