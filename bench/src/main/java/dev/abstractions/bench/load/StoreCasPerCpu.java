package dev.abstractions.bench.load;

import com.google.inject.Injector;
import dev.abstractions.server.ServerModules;
import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.core.StructBytes;
import dev.abstractions.server.ops.CommandDriver;
import dev.abstractions.server.ops.Outcome;
import dev.abstractions.server.store.Ids;
import dev.abstractions.server.store.RequestKey;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * (g) The store's uncontended compare-and-set per CPU-second of one thread: the same call as
 * {@code StoreCasBenchmark.uncontended} ({@link CommandDriver#update} on the thread's own lineage),
 * divided by the thread's own CPU time rather than wall time, so that it means "on one core" even
 * on a machine shared with other work (where JMH's wall-clock score is the core's share).
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.abstractions.bench.load.StoreCasPerCpu [--seconds 5]</pre>
 *
 * The last line is {@code key=value} pairs for the matrix to read.
 */
public final class StoreCasPerCpu {

  private StoreCasPerCpu() {}

  public static void main(String[] args) {
    int seconds = args.length == 2 && args[0].equals("--seconds") ? Integer.parseInt(args[1]) : 5;
    Injector injector = ServerModules.injector(ServerConfig.parse("--store", "memory", "--port", "0", "--metrics-port", "-1"));
    CommandDriver driver = injector.getInstance(CommandDriver.class);
    StructBytes payload = HeapPerEntity.payload(0);
    String id = Ids.newId();
    long version = driver.create(RequestKey.NONE, id, "", "Student", payload).join().value().version();
    version = run(driver, id, version, payload, seconds * 1_000_000_000L, null); // warm-up
    long[] measured = new long[3];
    run(driver, id, version, payload, seconds * 1_000_000_000L, measured);
    double perCpuSecond = measured[0] * 1e9 / measured[2];
    double perWallSecond = measured[0] * 1e9 / measured[1];
    System.out.printf(Locale.ROOT, "%,d updates: %,.0f per CPU-second of the thread, %,.0f per wall-second "
        + "(the thread was on a CPU %.0f%% of the time)%n", measured[0], perCpuSecond, perWallSecond,
        100.0 * measured[2] / measured[1]);
    System.out.printf(Locale.ROOT, "updates=%d per_cpu_second=%.1f per_wall_second=%.1f%n", measured[0], perCpuSecond,
        perWallSecond);
  }

  /** Updates for {@code nanos} of wall time; fills {@code measured} with count, wall and CPU nanos. */
  private static long run(CommandDriver driver, String id, long version, StructBytes payload, long nanos, long[] measured) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    long deadline = start + nanos;
    long count = 0;
    while ((count & 1023) != 0 || System.nanoTime() < deadline) {
      Outcome<EntityVersion> result = driver.update(RequestKey.NONE, id, version, payload).join();
      if (!result.ok()) {
        throw new IllegalStateException("a lineage with one writer was refused: " + result.refusal());
      }
      version = result.value().version();
      count++;
    }
    if (measured != null) {
      measured[0] = count;
      measured[1] = System.nanoTime() - start;
      measured[2] = threads.getCurrentThreadCpuTime() - cpuStart;
    }
    return version;
  }
}
