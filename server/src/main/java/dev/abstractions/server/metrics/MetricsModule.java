package dev.abstractions.server.metrics;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.events.EventLog;
import dev.abstractions.server.events.SubscriptionHub;
import dev.abstractions.server.memory.MemoryBudget;
import dev.abstractions.server.ops.OperationsObserver;
import dev.abstractions.server.store.DiskSpace;
import dev.abstractions.server.store.EntityStore;
import dev.abstractions.server.store.RaftEntityStore;
import io.grpc.ServerInterceptor;
import jakarta.inject.Named;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Wires Prometheus metrics: one registry for the server (not the library's static default), the
 * build's version, the domain counters as the driver's observer, the RPC interceptor, gauges read
 * at scrape time, and JVM metrics.
 */
public final class MetricsModule extends AbstractModule {

  @Override
  protected void configure() {
    bind(OperationsObserver.class).to(ServerMetrics.class);
  }

  @Provides
  @Singleton
  PrometheusRegistry registry() {
    PrometheusRegistry registry = new PrometheusRegistry();
    BuildInfo.register(registry);
    JvmMetrics.builder().register(registry);
    return registry;
  }

  @Provides
  @Singleton
  ServerMetrics serverMetrics(PrometheusRegistry registry) {
    return new ServerMetrics(registry);
  }

  @Provides
  @Singleton
  @Named("rpcMetrics")
  ServerInterceptor rpcMetrics(PrometheusRegistry registry) {
    return new RpcMetricsInterceptor(registry);
  }

  /** Gauges computed when scraped, so the hot path pays nothing for them. */
  @Provides
  @Singleton
  StateGauges gauges(PrometheusRegistry registry, EntityStore store, EventLog events,
      SubscriptionHub hub, MemoryBudget budget, DiskSpace diskSpace, ServerConfig config) {
    GaugeWithCallback.builder()
        .name("abstractions_memory_budget_bytes")
        .help("The memory budget (--max-memory): writes that would pass it are refused")
        .callback(gauge -> gauge.call(budget.limit()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("abstractions_memory_used_bytes")
        .help("Memory counted against the budget, by what holds it")
        .labelNames("account")
        .callback(gauge -> {
          for (MemoryBudget.Account account : MemoryBudget.Account.values()) {
            gauge.call(budget.used(account), account.name().toLowerCase(java.util.Locale.ROOT));
          }
        })
        .register(registry);
    GaugeWithCallback.builder()
        .name("abstractions_entities")
        .help("Lineages stored (deleted ones included)")
        .callback(gauge -> gauge.call(store.lineageCount()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("abstractions_operations_active")
        .help("Operations in flight (not yet terminal)")
        .callback(gauge -> gauge.call(store.liveOperations()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("abstractions_event_head_sequence")
        .help("Sequence of the newest event")
        .callback(gauge -> gauge.call(events.lastSequence()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("abstractions_event_log_events")
        .help("Events retained for subscribers to resume from")
        .callback(gauge -> gauge.call(events.lastSequence() - events.oldestRetained() + 1))
        .register(registry);
    GaugeWithCallback.builder()
        .name("abstractions_subscribers")
        .help("Event subscribers connected")
        .callback(gauge -> gauge.call(hub.subscriberCount()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("abstractions_subscriber_lag_events")
        .help("Events between the head and each subscriber's position, summed over subscribers")
        .callback(gauge -> gauge.call(hub.totalLag()))
        .register(registry);
    if (store instanceof RaftEntityStore durable) {
      durableStoreGauges(registry, durable);
      GaugeWithCallback.builder()
          .name("abstractions_disk_free_bytes")
          .help("Free bytes in --data-dir at the last check (twice a second); below --min-free-disk writes are refused")
          .callback(gauge -> gauge.call(diskSpace.freeBytes()))
          .register(registry);
      GaugeWithCallback.builder()
          .name("abstractions_disk_min_free_bytes")
          .help("--min-free-disk: the free bytes below which writes are refused (DISK_FULL)")
          .callback(gauge -> gauge.call(config.minFreeDiskBytes()))
          .register(registry);
    }
    return new StateGauges();
  }

  /**
   * The durable store's Raft log. Each scrape reads the log's state once (it walks the data
   * directory), shared by these series. Indexes count Raft entries, not events.
   */
  private static void durableStoreGauges(PrometheusRegistry registry, RaftEntityStore store) {
    Supplier<RaftEntityStore.LogStatus> status = new Supplier<>() {
      private RaftEntityStore.LogStatus last;
      private long readAtNanos;

      @Override
      public synchronized RaftEntityStore.LogStatus get() {
        if (last == null || System.nanoTime() - readAtNanos > 1_000_000_000L) {
          try {
            last = store.logStatus();
            readAtNanos = System.nanoTime();
          } catch (java.io.IOException | RuntimeException e) {
            return last; // the store is closing: the last reading, or nothing
          }
        }
        return last;
      }
    };
    gauge(registry, status, "abstractions_raft_leader", "1 if this peer leads its Raft group",
        s -> s.leader() ? 1 : 0);
    gauge(registry, status, "abstractions_raft_term", "The Raft term", RaftEntityStore.LogStatus::term);
    gauge(registry, status, "abstractions_raft_commit_index", "Index of the last committed Raft log entry",
        RaftEntityStore.LogStatus::commitIndex);
    gauge(registry, status, "abstractions_raft_applied_index", "Index of the last Raft log entry applied",
        RaftEntityStore.LogStatus::appliedIndex);
    gauge(registry, status, "abstractions_raft_snapshot_index", "Index the latest snapshot covers; -1 before the first",
        RaftEntityStore.LogStatus::snapshotIndex);
    gauge(registry, status, "abstractions_raft_snapshot_age_seconds",
        "Seconds since the latest snapshot was written; -1 before the first",
        RaftEntityStore.LogStatus::snapshotAgeSeconds);
    gauge(registry, status, "abstractions_raft_disk_bytes", "Bytes of the log and snapshots in --data-dir",
        RaftEntityStore.LogStatus::diskBytes);
    CounterWithCallback.builder()
        .name("abstractions_raft_entries_proposed_total")
        .help("Raft log entries this server proposed")
        .callback(counter -> {
          RaftEntityStore.LogStatus now = status.get();
          if (now != null) {
            counter.call(now.entriesProposed());
          }
        })
        .register(registry);
    CounterWithCallback.builder()
        .name("abstractions_raft_commands_proposed_total")
        .help("Commands in the entries this server proposed; per entry, the group commit's batch size")
        .callback(counter -> {
          RaftEntityStore.LogStatus now = status.get();
          if (now != null) {
            counter.call(now.commandsProposed());
          }
        })
        .register(registry);
  }

  private static void gauge(PrometheusRegistry registry, Supplier<RaftEntityStore.LogStatus> status, String name,
      String help, ToDoubleFunction<RaftEntityStore.LogStatus> field) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(gauge -> {
          RaftEntityStore.LogStatus now = status.get();
          if (now != null) {
            gauge.call(field.applyAsDouble(now));
          }
        })
        .register(registry);
  }

  /** Marks that the state gauges are registered; the metrics endpoint depends on it. */
  static final class StateGauges {}
}
