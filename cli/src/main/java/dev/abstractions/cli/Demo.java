package dev.abstractions.cli;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.client.AbstractionsClient;
import dev.abstractions.client.EntityServiceException;
import dev.abstractions.client.OperationOptions;
import dev.abstractions.client.OperationRejectedException;
import dev.abstractions.client.TargetBusyException;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The arbitration demo: writers of mixed priority classes increment shared counters through
 * {@code operations().update} for a fixed time. It prints, each second, what each class committed,
 * the conflicts it met (most of them uncharged waits behind a higher gate owner) and the LOW
 * operations the server shed at Begin before they computed; at the end, per class, the success rate and
 * the charged retries (read from the server: the committed version's operation, or the rejected
 * operation itself); and it checks that every counter equals the increments committed to it.
 *
 * <p>Runs on the calling thread plus one named daemon thread per writer ({@code demo-writer-N}),
 * all stopped before {@link #run} returns.
 */
final class Demo {

  /** What to run: how many counters, writers (split by {@code mix} weights) and seconds. */
  record Settings(int targets, int writers, int seconds, Map<WriterClass, Integer> mix) {}

  private static final String COUNTER_TYPE = "DemoCounter";
  private static final String COUNT = "count";

  private final AbstractionsClient client;
  private final Output output;
  private final Settings settings;
  private final DemoTally tally = new DemoTally();
  private volatile long deadline;
  /** Set when a writer fails or the demo ends: the other writers stop after their operation. */
  private volatile boolean stopped;

  Demo(AbstractionsClient client, Output output, Settings settings) {
    this.client = client;
    this.output = output;
    this.settings = settings;
  }

  /**
   * Splits {@code writers} by {@code weights} (largest remainder; ties to the lower class), so
   * 12 writers at LOW 3, NORMAL 3, P8 3, STRUCTURAL 1 are 4, 4, 3 and 1.
   */
  static List<WriterClass> assign(int writers, Map<WriterClass, Integer> weights) {
    long total = weights.values().stream().mapToLong(Integer::longValue).sum();
    Map<WriterClass, Integer> counts = new EnumMap<>(WriterClass.class);
    Map<WriterClass, Long> remainders = new EnumMap<>(WriterClass.class);
    int assigned = 0;
    for (WriterClass writerClass : WriterClass.values()) {
      long share = (long) writers * weights.getOrDefault(writerClass, 0);
      counts.put(writerClass, (int) (share / total));
      remainders.put(writerClass, share % total);
      assigned += (int) (share / total);
    }
    while (assigned < writers) {
      WriterClass next = null;
      for (WriterClass writerClass : WriterClass.values()) {
        if (next == null || remainders.get(writerClass) > remainders.get(next)) {
          next = writerClass;
        }
      }
      counts.merge(next, 1, Integer::sum);
      remainders.put(next, -1L);
      assigned++;
    }
    List<WriterClass> assignment = new ArrayList<>();
    counts.forEach((writerClass, count) -> assignment.addAll(Collections.nCopies(count, writerClass)));
    return assignment;
  }

  /** Runs the demo; returns {@link ExitCodes#OK} if every counter checks out, else UNEXPECTED. */
  int run() throws InterruptedException {
    List<String> targets = new ArrayList<>();
    for (int i = 0; i < settings.targets(); i++) {
      targets.add(client.entities().create(COUNTER_TYPE, count(0)).getLineageId());
    }
    List<WriterClass> writers = assign(settings.writers(), settings.mix());
    printStart(targets, writers);

    ExecutorService pool = Executors.newFixedThreadPool(writers.size(), new DaemonThreads("demo-writer"));
    long start = System.nanoTime();
    deadline = start + TimeUnit.SECONDS.toNanos(settings.seconds());
    List<Future<?>> running = new ArrayList<>();
    try {
      for (WriterClass writerClass : writers) {
        running.add(pool.submit(() -> {
          try {
            write(writerClass, targets);
          } catch (RuntimeException e) {
            stopped = true;
            throw e;
          }
        }));
      }
      Map<WriterClass, long[]> previous = tally.snapshot();
      for (int second = 1; second <= settings.seconds(); second++) {
        TimeUnit.NANOSECONDS.sleep(start + TimeUnit.SECONDS.toNanos(second) - System.nanoTime());
        Map<WriterClass, long[]> now = tally.snapshot();
        printSecond(second, previous, now);
        previous = now;
        if (stopped) {
          break; // a writer failed: the failure is reported below
        }
      }
      for (Future<?> writer : running) {
        writer.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
    } finally {
      stopped = true;
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
    return printSummary(targets, writers, System.nanoTime() - start);
  }

  /** One writer: operations on random targets until the deadline; each ends before the next begins. */
  private void write(WriterClass writerClass, List<String> targets) {
    OperationOptions options = writerClass.options();
    while (!stopped && System.nanoTime() - deadline < 0) {
      String target = targets.get(ThreadLocalRandom.current().nextInt(targets.size()));
      int[] attempts = {0};
      Function<Struct, Struct> increment = data -> {
        attempts[0]++;
        return count(data.getFieldsOrThrow(COUNT).getNumberValue() + 1);
      };
      try {
        Entity written = client.operations().update(target, increment, options);
        tally.committed(writerClass, target, attempts[0] - 1, chargedRetries(written.getDerivedFromOpId()));
      } catch (OperationRejectedException e) {
        tally.rejected(writerClass, e.reason(), Math.max(0, attempts[0] - 1), e.operation().getRetryCount());
      } catch (TargetBusyException e) {
        tally.shed(writerClass);
      } catch (EntityServiceException e) {
        if (e.code() != Status.Code.RESOURCE_EXHAUSTED || attempts[0] > 0) {
          throw e; // the operation's fate is unknown: the counters could not be checked
        }
        tally.refused(writerClass);
      }
    }
  }

  /** The retries the server charged the operation that wrote a version; -1 if it is no longer retained. */
  private int chargedRetries(String opId) {
    try {
      return client.operations().getOperation(opId).getRetryCount();
    } catch (EntityServiceException e) {
      if (e.code() == Status.Code.NOT_FOUND) {
        return -1;
      }
      throw e;
    }
  }

  private void printStart(List<String> targets, List<WriterClass> writers) {
    Map<WriterClass, Integer> perClass = perClass(writers);
    if (output.json()) {
      Struct.Builder classes = Struct.newBuilder();
      perClass.forEach((writerClass, count) -> classes.putFields(writerClass.name(), number(count)));
      output.jsonLine(Struct.newBuilder()
          .putFields("event", string("start"))
          .putFields("seconds", number(settings.seconds()))
          .putFields("writers", struct(classes))
          .putFields("targets", strings(targets))
          .build());
      return;
    }
    StringBuilder text = new StringBuilder();
    text.append("demo: ").append(writers.size()).append(" writers on ").append(targets.size())
        .append(" counters for ").append(settings.seconds()).append(" s, each incrementing a random counter with "
            + "operations().update\n");
    perClass.forEach((writerClass, count) -> text.append("  ").append(Output.pad(writerClass.name(), 11))
        .append(count).append(" x ").append(writerClass.description()).append('\n'));
    targets.forEach(target -> text.append("  counter ").append(target).append('\n'));
    text.append('\n')
        .append("      ").append(group("committed")).append(group("conflicts")).append(group("shed")).append('\n')
        .append("time  ").append(classHeader()).append(classHeader()).append(classHeader()).append('\n');
    output.print(text.toString().replaceAll(" +\n", "\n"));
  }

  private void printSecond(int second, Map<WriterClass, long[]> before, Map<WriterClass, long[]> now) {
    DemoTally.Count[] shown = {DemoTally.Count.COMMITTED, DemoTally.Count.CONFLICTS, DemoTally.Count.SHED};
    if (output.json()) {
      Struct.Builder line = Struct.newBuilder()
          .putFields("event", string("second"))
          .putFields("second", number(second));
      for (DemoTally.Count count : shown) {
        Struct.Builder perClass = Struct.newBuilder();
        for (WriterClass writerClass : WriterClass.values()) {
          perClass.putFields(writerClass.name(), number(delta(before, now, writerClass, count)));
        }
        line.putFields(count.name().toLowerCase(Locale.ROOT), struct(perClass));
      }
      output.jsonLine(line.build());
      return;
    }
    StringBuilder line = new StringBuilder(String.format("%3ds  ", second));
    for (DemoTally.Count count : shown) {
      for (WriterClass writerClass : WriterClass.values()) {
        line.append(String.format("%6d ", delta(before, now, writerClass, count)));
      }
      line.append("   ");
    }
    output.print(line.toString().stripTrailing() + "\n");
  }

  private int printSummary(List<String> targets, List<WriterClass> writers, long elapsedNanos) {
    Map<WriterClass, long[]> totals = tally.snapshot();
    Map<WriterClass, Integer> perClass = perClass(writers);
    Output.Table table = new Output.Table("CLASS", "WRITERS", "OPS", "COMMITTED", "SHED", "EXHAUSTED",
        "EXPIRED", "REFUSED", "SUCCESS", "CONFLICTS", "CHARGED_RETRIES(MEAN/MAX)");
    ListValue.Builder classesJson = ListValue.newBuilder();
    for (WriterClass writerClass : perClass.keySet()) {
      long[] c = totals.get(writerClass);
      long ops = c[DemoTally.Count.OPS.ordinal()];
      long committed = c[DemoTally.Count.COMMITTED.ordinal()];
      long known = c[DemoTally.Count.CHARGED_KNOWN.ordinal()];
      double success = ops == 0 ? 0 : 100.0 * committed / ops;
      double chargedMean = known == 0 ? 0 : (double) c[DemoTally.Count.CHARGED_SUM.ordinal()] / known;
      long chargedMax = c[DemoTally.Count.CHARGED_MAX.ordinal()];
      table.row(writerClass.name(), Integer.toString(perClass.get(writerClass)), Long.toString(ops),
          Long.toString(committed), Long.toString(c[DemoTally.Count.SHED.ordinal()]),
          Long.toString(c[DemoTally.Count.EXHAUSTED.ordinal()]), Long.toString(c[DemoTally.Count.EXPIRED.ordinal()]),
          Long.toString(c[DemoTally.Count.REFUSED.ordinal()]), String.format("%.1f%%", success),
          Long.toString(c[DemoTally.Count.CONFLICTS.ordinal()]), String.format("%.2f/%d", chargedMean, chargedMax));
      Struct.Builder classJson = Struct.newBuilder()
          .putFields("class", string(writerClass.name()))
          .putFields("writers", number(perClass.get(writerClass)))
          .putFields("successRate", number(Math.round(success * 10) / 10.0))
          .putFields("chargedRetriesMean", number(Math.round(chargedMean * 100) / 100.0));
      for (DemoTally.Count count : DemoTally.Count.values()) {
        if (count != DemoTally.Count.CHARGED_KNOWN && count != DemoTally.Count.CHARGED_SUM) {
          classJson.putFields(camel(count), number(c[count.ordinal()]));
        }
      }
      classesJson.addValues(Value.newBuilder().setStructValue(classJson));
    }

    boolean allMatch = true;
    StringBuilder counters = new StringBuilder();
    ListValue.Builder countersJson = ListValue.newBuilder();
    for (String target : targets) {
      long value = (long) client.entities().get(target).getData().getFieldsOrThrow(COUNT).getNumberValue();
      long committed = tally.committedTo(target);
      boolean match = value == committed;
      allMatch &= match;
      counters.append("counter ").append(target).append(": count ").append(value).append(", committed increments ")
          .append(committed).append(match ? "  OK" : "  MISMATCH").append('\n');
      countersJson.addValues(Value.newBuilder().setStructValue(Struct.newBuilder()
          .putFields("lineageId", string(target))
          .putFields("count", number(value))
          .putFields("committedIncrements", number(committed))));
    }
    String verdict = allMatch ? "OK" : "MISMATCH";

    if (output.json()) {
      output.jsonLine(Struct.newBuilder()
          .putFields("event", string("summary"))
          .putFields("elapsedSeconds", number(Math.round(elapsedNanos / 1e7) / 100.0))
          .putFields("classes", Value.newBuilder().setListValue(classesJson).build())
          .putFields("counters", Value.newBuilder().setListValue(countersJson).build())
          .putFields("result", string(verdict))
          .build());
    } else {
      output.print(String.format("%nsummary after %.1f s (charged retries read from the server per operation)%n",
          elapsedNanos / 1e9) + table + "\n" + counters + verdict + "\n");
    }
    return allMatch ? ExitCodes.OK : ExitCodes.UNEXPECTED;
  }

  private static long delta(Map<WriterClass, long[]> before, Map<WriterClass, long[]> now, WriterClass writerClass,
      DemoTally.Count count) {
    return now.get(writerClass)[count.ordinal()] - before.get(writerClass)[count.ordinal()];
  }

  private static Map<WriterClass, Integer> perClass(List<WriterClass> writers) {
    Map<WriterClass, Integer> perClass = new EnumMap<>(WriterClass.class);
    writers.forEach(writerClass -> perClass.merge(writerClass, 1, Integer::sum));
    return perClass;
  }

  private static String group(String name) {
    return Output.pad(name, 7 * WriterClass.values().length + 3);
  }

  private static String classHeader() {
    StringBuilder header = new StringBuilder();
    for (WriterClass writerClass : WriterClass.values()) {
      header.append(String.format("%6s ", writerClass == WriterClass.STRUCTURAL ? "STRUCT" : writerClass.name()));
    }
    return header.append("   ").toString();
  }

  private static String camel(DemoTally.Count count) {
    String[] words = count.name().toLowerCase(Locale.ROOT).split("_");
    StringBuilder name = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return name.toString();
  }

  private static Struct count(double value) {
    return Struct.newBuilder().putFields(COUNT, number(value)).build();
  }

  private static Value number(double value) {
    return Value.newBuilder().setNumberValue(value).build();
  }

  private static Value string(String value) {
    return Value.newBuilder().setStringValue(value).build();
  }

  private static Value struct(Struct.Builder value) {
    return Value.newBuilder().setStructValue(value).build();
  }

  private static Value strings(List<String> values) {
    ListValue.Builder list = ListValue.newBuilder();
    values.forEach(value -> list.addValues(string(value)));
    return Value.newBuilder().setListValue(list).build();
  }
}
