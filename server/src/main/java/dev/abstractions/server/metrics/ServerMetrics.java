package dev.abstractions.server.metrics;

import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.RejectionReason;
import dev.abstractions.server.ops.OperationsObserver;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The domain's counters: commits, conflicts, retries, gate waits, operation outcomes, and how long
 * a write's atomic step takes. Labels are bounded enums (write kind, priority class, status,
 * reason), never ids. Thread-safe; every call is a lock-free increment.
 */
final class ServerMetrics implements OperationsObserver {

  private final Counter commits;
  private final Counter conflicts;
  private final Counter retries;
  private final Counter gateWaits;
  private final Counter operationsEnded;
  private final Histogram writeStep;

  ServerMetrics(PrometheusRegistry registry) {
    commits = Counter.builder()
        .name("abstractions_commits_total")
        .help("Versions written by a compare-and-set, by writer kind (plain write or operation)")
        .labelNames("writer")
        .register(registry);
    conflicts = Counter.builder()
        .name("abstractions_conflicts_total")
        .help("Compare-and-sets that lost, by priority class (plain for plain writes) and whether charged")
        .labelNames("class", "charged")
        .register(registry);
    retries = Counter.builder()
        .name("abstractions_operation_retries_total")
        .help("Conflicts charged against an operation's retry budget, by priority class")
        .labelNames("class")
        .register(registry);
    gateWaits = Counter.builder()
        .name("abstractions_gate_waits_total")
        .help("Writers told to wait behind an equal-priority gate owner, by priority class")
        .labelNames("class")
        .register(registry);
    operationsEnded = Counter.builder()
        .name("abstractions_operations_ended_total")
        .help("Operations that reached a terminal status, by class, status and rejection reason")
        .labelNames("class", "status", "reason")
        .register(registry);
    writeStep = Histogram.builder()
        .name("abstractions_write_step_seconds")
        .help("Time a write holds its entity's atomic step: compare-and-set, append, event")
        .unit(Unit.SECONDS)
        .classicExponentialUpperBounds(1e-7, 2, 20)
        .register(registry);
    for (String writer : new String[] {"plain", "operation"}) {
      commits.labelValues(writer);
    }
  }

  @Override
  public void committed(boolean byOperation, long stepNanos) {
    commits.labelValues(byOperation ? "operation" : "plain").inc();
    writeStep.observe(stepNanos / 1e9);
  }

  @Override
  public void conflicted(PriorityClass cls, boolean charged) {
    conflicts.labelValues(label(cls), Boolean.toString(charged)).inc();
    if (charged) {
      retries.labelValues(label(cls)).inc();
    }
  }

  @Override
  public void gateWait(PriorityClass cls) {
    gateWaits.labelValues(label(cls)).inc();
  }

  @Override
  public void ended(PriorityClass cls, OperationStatus status, RejectionReason reason) {
    String why = status == OperationStatus.REJECTED ? reason.name() : "";
    operationsEnded.labelValues(label(cls), status.name(), why).inc();
  }

  private static String label(PriorityClass cls) {
    return cls == null ? "plain" : cls.name();
  }
}
