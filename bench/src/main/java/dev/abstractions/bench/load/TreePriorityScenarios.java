package dev.abstractions.bench.load;

import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.CommitOperationRequest;
import dev.abstractions.api.v1.CommitOperationResponse;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.GetTreeRequest;
import dev.abstractions.api.v1.GetTreeResponse;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.WriteTreeRequest;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * (t3) (d)'s mixed priorities on one hot tree (a root and members A and B): 1 STRUCTURAL, 5 NORMAL
 * and 4 LOW writers, each writing read-modify-write increments of A and B together, closed-loop.
 * Run once with operations on the root (Begin; GetTree at the snapshot tree version Begin
 * answered; Commit with tree_changes until COMMITTED or REJECTED, after a CONFLICT reading the tree
 * at the conflict's fresh tree version and waiting the server's {@code retry_after}; a LOW Begin
 * the server sheds with TARGET_BUSY ends that write uncommitted) and once with plain tree-write
 * loops (GetTree, WriteTree at the tree version read; on ABORTED back off as the server would tell
 * the class to and retry, giving up after the class's retry budget), on the same workload. As in
 * (d), a writer whose logical write did not land waits its class's first backoff before the next
 * one. Each mode writes a tree of its own; the notes check A and B against the writes committed.
 */
final class TreePriorityScenarios {

  /** Writers on the hot tree: (d)'s per hot entity. */
  static final int WRITERS = PriorityScenarios.WRITERS_PER_ENTITY;

  private final Settings settings;

  TreePriorityScenarios(Settings settings) {
    this.settings = settings;
  }

  static String label(PriorityScenarios.Mode mode) {
    return mode == PriorityScenarios.Mode.OPERATIONS
        ? "operations (Begin, GetTree, Commit tree_changes, retry_after)"
        : "plain tree-write loops (GetTree/WriteTree, client backoff)";
  }

  static String scenario(PriorityScenarios.Mode mode) {
    return "(t3) mixed priorities, 1 hot tree, " + WRITERS + " writers, " + label(mode);
  }

  PriorityScenarios.Result run(ServerProcess server, PriorityScenarios.Mode mode) throws InterruptedException {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "retry-after");
      thread.setDaemon(true);
      return thread;
    });
    try (Channels channels = Channels.open(server.port(), settings.channels())) {
      TreeScenarios.Tree tree = TreeScenarios.createTree(EntityServiceGrpc.newBlockingStub(channels.forSlot(0)), 3);
      Map<PriorityClass, PriorityScenarios.Counters> counters = new EnumMap<>(PriorityClass.class);
      for (PriorityClass c : PriorityScenarios.CLASSES) {
        counters.put(c, new PriorityScenarios.Counters());
      }
      Writer[] all = new Writer[WRITERS];
      for (int w = 0; w < WRITERS; w++) {
        PriorityClass priorityClass = PriorityScenarios.classOf(w, 1);
        all[w] = new Writer(priorityClass, tree, counters.get(priorityClass),
            EntityServiceGrpc.newStub(channels.forSlot(w)), OperationServiceGrpc.newStub(channels.forSlot(w)), timer);
      }
      LongAdder committed = new LongAdder();
      ClosedLoop.Result result = ClosedLoop.run(WRITERS, settings.warmup(), settings.measure(), server.pid(),
          (slot, done) -> {
            ClosedLoop.Completion counted = counting(done, committed);
            if (mode == PriorityScenarios.Mode.OPERATIONS) {
              all[slot].operation(counted);
            } else {
              all[slot].compareAndSet(counted);
            }
          },
          () -> counters.values().forEach(PriorityScenarios.Counters::start),
          () -> counters.values().forEach(PriorityScenarios.Counters::stop));
      List<PriorityScenarios.ClassStats> classes = new ArrayList<>();
      for (PriorityClass c : PriorityScenarios.CLASSES) {
        classes.add(counters.get(c).stats(c));
      }
      PriorityScenarios.Result partial = new PriorityScenarios.Result(mode, null, classes);
      GetTreeResponse last = EntityServiceGrpc.newBlockingStub(channels.forSlot(0))
          .getTree(GetTreeRequest.newBuilder().setRootLineageId(tree.root()).build());
      String check = pairCheck(TreeScenarios.count(last, tree.members().get(1)),
          TreeScenarios.count(last, tree.members().get(2)), committed.sum());
      ResultRow row = ResultRow.of("t3-" + mode.name().toLowerCase(Locale.ROOT), scenario(mode), result,
          TreeScenarios.join("wasted attempts per committed write " + Ratio.number(partial.wastedPerCommit()), check,
              TreeScenarios.errorNote(result)));
      return new PriorityScenarios.Result(mode, row, classes);
    } finally {
      timer.shutdownNow();
    }
  }

  /** {@code done}, counting the writes that succeeded (committed) over the whole run. */
  private static ClosedLoop.Completion counting(ClosedLoop.Completion done, LongAdder committed) {
    return new ClosedLoop.Completion() {
      @Override
      public void succeeded() {
        committed.increment();
        done.succeeded();
      }

      @Override
      public void finished() {
        done.finished();
      }

      @Override
      public void failed(Throwable error) {
        done.failed(error);
      }
    };
  }

  /** Whether A and B both count the writes committed (each write increments both, all or nothing). */
  static String pairCheck(double a, double b, long committed) {
    String counts = String.format(Locale.ROOT, "A = %.0f, B = %.0f for %d writes committed", a, b, committed);
    return a == committed && b == committed ? "counters " + counts : "COUNTER MISMATCH: " + counts;
  }

  /** One writer: its class, the tree, its stubs. One logical write at a time. */
  private static final class Writer {
    private final PriorityClass priorityClass;
    private final String root;
    private final String a;
    private final String b;
    private final PriorityScenarios.Counters counters;
    private final EntityServiceGrpc.EntityServiceStub entities;
    private final OperationServiceGrpc.OperationServiceStub operations;
    private final ClassBackoff backoff;

    Writer(PriorityClass priorityClass, TreeScenarios.Tree tree, PriorityScenarios.Counters counters,
        EntityServiceGrpc.EntityServiceStub entities, OperationServiceGrpc.OperationServiceStub operations,
        ScheduledExecutorService timer) {
      this.priorityClass = priorityClass;
      this.root = tree.root();
      this.a = tree.members().get(1);
      this.b = tree.members().get(2);
      this.counters = counters;
      this.entities = entities;
      this.operations = operations;
      this.backoff = new ClassBackoff(priorityClass, counters, timer);
    }

    void operation(ClosedLoop.Completion done) {
      long started = System.nanoTime();
      BeginOperationRequest begin = BeginOperationRequest.newBuilder()
          .setTargetLineageId(root)
          .setPriorityClass(priorityClass)
          .setOpType("bench-tree-mixed")
          .build();
      operations.begin(begin, Unary.of(begun -> {
        String opId = begun.getOperation().getOpId();
        readTree(begun.getSnapshotTreeVersion(), tree -> commit(opId, tree, started, done), done);
      }, error -> backoff.beginFailed(error, started, done)));
    }

    /**
     * Reads the tree at {@code treeVersion}. If that version is no longer retained the tree has
     * moved past it, so a commit at it conflicts whatever it writes: the latest tree will do.
     */
    private void readTree(long treeVersion, Consumer<GetTreeResponse> then, ClosedLoop.Completion done) {
      entities.getTree(GetTreeRequest.newBuilder().setRootLineageId(root).setTreeVersion(treeVersion).build(),
          Unary.of(then, error -> {
            if (Status.fromThrowable(error).getCode() == Status.Code.OUT_OF_RANGE) {
              entities.getTree(GetTreeRequest.newBuilder().setRootLineageId(root).build(),
                  Unary.of(then, done::failed));
            } else {
              done.failed(error);
            }
          }));
    }

    private void commit(String opId, GetTreeResponse tree, long started, ClosedLoop.Completion done) {
      CommitOperationRequest commit = CommitOperationRequest.newBuilder()
          .setOpId(opId)
          .addTreeChanges(TreeScenarios.increment(a, tree))
          .addTreeChanges(TreeScenarios.increment(b, tree))
          .build();
      operations.commit(commit, Unary.of(response -> committed(opId, response, started, done), done::failed));
    }

    private void committed(String opId, CommitOperationResponse response, long started, ClosedLoop.Completion done) {
      switch (response.getOutcome()) {
        case OUTCOME_COMMITTED -> {
          counters.attempt(true);
          counters.ended(true, response.getOperation().getRetryCount(), started);
          done.succeeded();
        }
        case OUTCOME_CONFLICT -> {
          counters.attempt(false);
          readTree(response.getTreeVersion(),
              fresh -> backoff.after(response.getRetryAfter(), () -> commit(opId, fresh, started, done)), done);
        }
        case OUTCOME_REJECTED -> {
          counters.attempt(false);
          counters.ended(false, response.getOperation().getRetryCount(), started);
          backoff.pauseThenFinish(done);
        }
        default -> done.failed(new IllegalStateException("Commit answered " + response.getOutcome() + " "
            + response.getOperation().getFailureMessage()));
      }
    }

    void compareAndSet(ClosedLoop.Completion done) {
      casAttempt(0, System.nanoTime(), done);
    }

    private void casAttempt(int failures, long started, ClosedLoop.Completion done) {
      entities.getTree(GetTreeRequest.newBuilder().setRootLineageId(root).build(), Unary.of(tree -> {
        WriteTreeRequest write = WriteTreeRequest.newBuilder()
            .setRootLineageId(root)
            .setExpectedTreeVersion(tree.getTreeVersion())
            .addChanges(TreeScenarios.increment(a, tree))
            .addChanges(TreeScenarios.increment(b, tree))
            .build();
        entities.writeTree(write, Unary.of(written -> {
          counters.attempt(true);
          counters.ended(true, failures, started);
          done.succeeded();
        }, error -> backoff.writeFailed(error, failures, started, done,
            charged -> casAttempt(charged, started, done))));
      }, done::failed));
    }
  }
}
