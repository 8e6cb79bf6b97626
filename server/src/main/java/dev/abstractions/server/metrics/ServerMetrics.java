package dev.abstractions.server.metrics;

import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.RejectionReason;
import dev.abstractions.server.ops.OperationsObserver;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.stream.Stream;

/**
 * The domain's counters: commits, conflicts, retries, gate waits, operation outcomes, and how long
 * a write's atomic step takes. Labels are bounded enums (write kind, priority class, status,
 * reason), never ids. Thread-safe; every call is a lock-free increment. The data points the write
 * path touches on every commit and conflict are looked up once, here, not per write.
 */
final class ServerMetrics implements OperationsObserver {

  /** The class label of each {@link #index}: "plain" for plain writes, then the priority classes. */
  private static final String[] CLASSES = Stream.concat(Stream.of((PriorityClass) null),
      Stream.of(PriorityClass.values())).map(ServerMetrics::label).toArray(String[]::new);

  private final Counter commits;
  private final Counter conflicts;
  private final Counter retries;
  private final Counter gateWaits;
  private final Counter operationsEnded;
  private final Histogram writeStep;
  private final CounterDataPoint plainCommits;
  private final CounterDataPoint operationCommits;
  /** By {@link #index} of the class, times 2, plus 1 if charged. */
  private final CounterPoints conflictsByClass;
  private final CounterPoints retriesByClass;
  private final CounterPoints gateWaitsByClass;
  private final DistributionDataPoint writeSteps;

  ServerMetrics(PrometheusRegistry registry) {
    commits = Counter.builder()
        .name("abstractions_commits_total")
        .help("Versions written by a compare-and-set, by writer kind (plain write or operation)")
        .labelNames("writer")
        .withoutExemplars()
        .register(registry);
    conflicts = Counter.builder()
        .name("abstractions_conflicts_total")
        .help("Compare-and-sets that lost, by priority class (plain for plain writes) and whether charged")
        .labelNames("class", "charged")
        .withoutExemplars()
        .register(registry);
    retries = Counter.builder()
        .name("abstractions_operation_retries_total")
        .help("Conflicts charged against an operation's retry budget, by priority class")
        .labelNames("class")
        .withoutExemplars()
        .register(registry);
    gateWaits = Counter.builder()
        .name("abstractions_gate_waits_total")
        .help("Writers told to wait behind a gate owner of equal or higher priority, uncharged, by priority class")
        .labelNames("class")
        .withoutExemplars()
        .register(registry);
    operationsEnded = Counter.builder()
        .name("abstractions_operations_ended_total")
        .help("Operations that reached a terminal status, by class, status and rejection reason")
        .labelNames("class", "status", "reason")
        .withoutExemplars()
        .register(registry);
    writeStep = Histogram.builder()
        .name("abstractions_write_step_seconds")
        .help("Time a write holds its entity's atomic step: compare-and-set, append, event")
        .unit(Unit.SECONDS)
        .classicOnly()
        .classicExponentialUpperBounds(1e-7, 2, 20)
        .withoutExemplars()
        .register(registry);
    plainCommits = commits.labelValues("plain");
    operationCommits = commits.labelValues("operation");
    writeSteps = writeStep.labelValues();
    conflictsByClass = new CounterPoints(2 * CLASSES.length,
        i -> conflicts.labelValues(CLASSES[i / 2], Boolean.toString(i % 2 == 1)));
    retriesByClass = new CounterPoints(CLASSES.length, i -> retries.labelValues(CLASSES[i]));
    gateWaitsByClass = new CounterPoints(CLASSES.length, i -> gateWaits.labelValues(CLASSES[i]));
  }

  @Override
  public void committed(boolean byOperation, long stepNanos) {
    (byOperation ? operationCommits : plainCommits).inc();
    writeSteps.observe(stepNanos / 1e9);
  }

  @Override
  public void conflicted(PriorityClass cls, boolean charged) {
    conflictsByClass.inc(2 * index(cls) + (charged ? 1 : 0));
    if (charged) {
      retriesByClass.inc(index(cls));
    }
  }

  @Override
  public void gateWait(PriorityClass cls) {
    gateWaitsByClass.inc(index(cls));
  }

  @Override
  public void ended(PriorityClass cls, OperationStatus status, RejectionReason reason) {
    String why = status == OperationStatus.REJECTED ? reason.name() : "";
    operationsEnded.labelValues(label(cls), status.name(), why).inc();
  }

  private static String label(PriorityClass cls) {
    return cls == null ? "plain" : cls.name();
  }

  /** The index of {@code cls}'s label in {@link #CLASSES}. */
  private static int index(PriorityClass cls) {
    return cls == null ? 0 : cls.ordinal() + 1;
  }
}
