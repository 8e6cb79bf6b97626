package dev.abstractions.bench.load;

import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.GetTreeRequest;
import dev.abstractions.api.v1.GetTreeResponse;
import dev.abstractions.api.v1.TreeChange;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.api.v1.UpdateMember;
import dev.abstractions.api.v1.WriteTreeRequest;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Scenarios (t1) and (t2) of group t, entity trees, against a running entity server. Not
 * thread-safe; one per run.
 */
final class TreeScenarios {

  /** Members of each (t1) tree, its root included (GetTree lists the root as a member). */
  static final int T1_MEMBERS = 10;

  /** A tree the load writes: its root's lineage id and its members' (the root first), as created. */
  record Tree(String root, List<String> members) {}

  private final Settings settings;
  /**
   * (t1)'s trees on each server (by port), created on first use and written by every later
   * window, so that the pre-warm and the rounds do not pile up trees of 100 retained versions a
   * member.
   */
  private final Map<Integer, List<Tree>> t1Trees = new HashMap<>();

  TreeScenarios(Settings settings) {
    this.settings = settings;
  }

  static String treeWriteScenario(int concurrency) {
    return "(t1) WriteTree updating all " + T1_MEMBERS + " members of a " + T1_MEMBERS
        + "-member tree, each slot its own tree, C=" + concurrency;
  }

  String treeWriteScenario() {
    return treeWriteScenario(settings.concurrency());
  }

  /** One measured window of (t1). */
  ResultRow.Sample treeWriteSample(ServerProcess server) throws InterruptedException {
    return treeWrites(server, settings.warmup(), settings.measure());
  }

  /** (t1)'s load for {@code warmup}, then measured for {@code measure} (the pre-warm runs it too). */
  ResultRow.Sample treeWrites(ServerProcess server, Duration warmup, Duration measure) throws InterruptedException {
    try (Channels channels = Channels.open(server.port(), settings.channels())) {
      List<Tree> trees = t1Trees.get(server.port());
      if (trees == null) {
        trees = createTrees(channels, settings.concurrency(), T1_MEMBERS);
        t1Trees.put(server.port(), trees);
      }
      ClosedLoop.Result result = ClosedLoop.run(settings.concurrency(), warmup, measure, server.pid(),
          new TreeWrites(channels, trees));
      return ResultRow.Sample.of(result, errorNote(result));
    }
  }

  /** The notes of (t1)'s row: its rate and server CPU per member written. */
  static String perMemberNote(ResultRow row) {
    return T1_MEMBERS + " member writes per call: " + Ratio.rate(row.throughput() * T1_MEMBERS)
        + " member writes/s, " + Ratio.number(row.serverMicrosPerOp() / T1_MEMBERS) + " µs server CPU per member write";
  }

  /** The first error of a run with errors in its window, else "". */
  static String errorNote(ClosedLoop.Result result) {
    return result.errors() > 0 ? result.firstErrorNote() : "";
  }

  /** The non-empty notes, "; "-separated. */
  static String join(String... notes) {
    return String.join("; ", java.util.Arrays.stream(notes).filter(n -> !n.isEmpty()).toList());
  }

  /** Creates {@code count} trees of {@code members} members each (data {@code withCount(0)}). */
  static List<Tree> createTrees(Channels channels, int count, int members) {
    List<Tree> trees = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      trees.add(createTree(EntityServiceGrpc.newBlockingStub(channels.forSlot(i)), members));
    }
    return trees;
  }

  /** Creates a root and {@code members - 1} members under it. */
  static Tree createTree(EntityServiceGrpc.EntityServiceBlockingStub stub, int members) {
    Entity root = stub.create(CreateEntityRequest.newBuilder().setEntityType(EntityData.TYPE)
        .setData(EntityData.withCount(0)).build());
    List<String> ids = new ArrayList<>(members);
    ids.add(root.getLineageId());
    for (int i = 1; i < members; i++) {
      ids.add(stub.create(CreateEntityRequest.newBuilder().setEntityType(EntityData.TYPE)
          .setParentLineageId(root.getLineageId()).setData(EntityData.withCount(0)).build()).getLineageId());
    }
    return new Tree(root.getLineageId(), List.copyOf(ids));
  }

  static String hotTreeScenario(int writers) {
    return "(t2) hot tree, " + writers + " writers: " + writers / 2 + " GetTree→WriteTree of 2 members→retry, "
        + (writers - writers / 2) + " Get→Update of a third→retry";
  }

  /**
   * (t2) Many writers on one tree of a root and three members A, B and C, like (c) on one hot
   * key: the first half of {@link Settings#hotWriters} read the tree (GetTree) and write A and B,
   * each its count + 1, with one WriteTree at the tree version read (member versions unchecked);
   * the other half read C (Get) and Update it, count + 1, at the version read. Each retries at
   * once from its read after ABORTED (TREE_VERSION_CONFLICT, VERSION_CONFLICT) until it commits;
   * a write to C moves the tree on too, so it makes a concurrent tree write conflict, while a tree
   * write does not touch C. One logical call is one committed write, either kind. Rows: both kinds
   * together (with the server's CPU), then each kind (its commits/s, latency first read to commit,
   * conflicts per committed write). The notes check the tree's counters against the commits
   * acknowledged: A = B = tree writes, C = member writes.
   */
  List<ResultRow> hotTree(ServerProcess server) throws InterruptedException {
    int writers = settings.hotWriters();
    int treeWriters = writers / 2;
    try (Channels channels = Channels.open(server.port(), settings.channels())) {
      Tree tree = createTree(EntityServiceGrpc.newBlockingStub(channels.forSlot(0)), 4);
      String root = tree.root();
      String a = tree.members().get(1);
      String b = tree.members().get(2);
      String c = tree.members().get(3);
      EntityServiceGrpc.EntityServiceStub[] stubs = new EntityServiceGrpc.EntityServiceStub[writers];
      for (int i = 0; i < writers; i++) {
        stubs[i] = EntityServiceGrpc.newStub(channels.forSlot(i));
      }
      WriteKind treeWrites = new WriteKind();
      WriteKind memberWrites = new WriteKind();
      AtomicBoolean stopping = new AtomicBoolean();
      ClosedLoop.Result result = ClosedLoop.run(writers, settings.warmup(), settings.measure(), server.pid(),
          (slot, done) -> {
            long started = System.nanoTime();
            if (slot < treeWriters) {
              treeWrite(stubs[slot], root, a, b, treeWrites, stopping, started, done);
            } else {
              memberWrite(stubs[slot], c, memberWrites, stopping, started, done);
            }
          },
          () -> {
            treeWrites.start();
            memberWrites.start();
          },
          () -> {
            treeWrites.stop();
            memberWrites.stop();
            stopping.set(true); // conflicts from now on end their write uncommitted, so the drain is short
          });
      String check = hotTreeCheck(channels, root, a, b, c, treeWrites.commits(), memberWrites.commits());
      MeasuredWindow.Cpu window = result.window();
      return List.of(
          ResultRow.of("t2", hotTreeScenario(writers), result, join(check, errorNote(result))),
          treeWrites.row("t2-tree", "(t2) of which GetTree→WriteTree of A and B, " + treeWriters + " writers", window,
              "conflicts per committed write " + Ratio.number(treeWrites.conflictsPerCommit())),
          memberWrites.row("t2-member", "(t2) of which Get→Update of C, " + (writers - treeWriters) + " writers",
              window, "conflicts per committed write " + Ratio.number(memberWrites.conflictsPerCommit())));
    }
  }

  private static void treeWrite(EntityServiceGrpc.EntityServiceStub stub, String root, String a, String b,
      WriteKind kind, AtomicBoolean stopping, long started, ClosedLoop.Completion done) {
    stub.getTree(GetTreeRequest.newBuilder().setRootLineageId(root).build(), Unary.of(tree -> {
      WriteTreeRequest write = WriteTreeRequest.newBuilder()
          .setRootLineageId(root)
          .setExpectedTreeVersion(tree.getTreeVersion())
          .addChanges(increment(a, tree))
          .addChanges(increment(b, tree))
          .build();
      stub.writeTree(write, Unary.of(written -> committed(kind, started, done),
          error -> retryConflict(error, kind, stopping, done,
              () -> treeWrite(stub, root, a, b, kind, stopping, started, done))));
    }, done::failed));
  }

  private static void memberWrite(EntityServiceGrpc.EntityServiceStub stub, String c, WriteKind kind,
      AtomicBoolean stopping, long started, ClosedLoop.Completion done) {
    stub.get(GetEntityRequest.newBuilder().setLineageId(c).build(), Unary.of(entity -> {
      UpdateEntityRequest update = UpdateEntityRequest.newBuilder()
          .setLineageId(c)
          .setExpectedVersion(entity.getVersion())
          .setData(EntityData.withCount(EntityData.count(entity) + 1))
          .build();
      stub.update(update, Unary.of(written -> committed(kind, started, done),
          error -> retryConflict(error, kind, stopping, done,
              () -> memberWrite(stub, c, kind, stopping, started, done))));
    }, done::failed));
  }

  private static void committed(WriteKind kind, long started, ClosedLoop.Completion done) {
    kind.committed(started);
    done.succeeded();
  }

  /** A write that lost its compare-and-set (ABORTED) starts over at once, unless the window is over. */
  private static void retryConflict(Throwable error, WriteKind kind, AtomicBoolean stopping,
      ClosedLoop.Completion done, Runnable again) {
    if (Status.fromThrowable(error).getCode() != Status.Code.ABORTED) {
      done.failed(error);
    } else if (stopping.get()) {
      done.finished();
    } else {
      kind.conflicted();
      again.run();
    }
  }

  /** An unchecked update of {@code member} to its count in {@code tree} + 1. */
  static TreeChange increment(String member, GetTreeResponse tree) {
    return TreeChange.newBuilder()
        .setUpdate(UpdateMember.newBuilder().setLineageId(member)
            .setData(EntityData.withCount(count(tree, member) + 1)))
        .build();
  }

  /** {@code member}'s counter in {@code tree} (a page that lists it). */
  static double count(GetTreeResponse tree, String member) {
    for (Entity entity : tree.getMembersList()) {
      if (entity.getLineageId().equals(member)) {
        return EntityData.count(entity);
      }
    }
    throw new IllegalStateException("member " + member + " is not in tree " + tree.getRootLineageId() + " at "
        + tree.getTreeVersion());
  }

  /** Whether A and B count the tree writes and C the member writes acknowledged (nothing lost or doubled). */
  private static String hotTreeCheck(Channels channels, String root, String a, String b, String c, long treeWrites,
      long memberWrites) {
    GetTreeResponse tree = EntityServiceGrpc.newBlockingStub(channels.forSlot(0))
        .getTree(GetTreeRequest.newBuilder().setRootLineageId(root).build());
    return counterCheck(count(tree, a), count(tree, b), count(tree, c), treeWrites, memberWrites);
  }

  /** The notes' check of (t2) and (t3): counters A and B against tree writes, C against member writes. */
  static String counterCheck(double a, double b, double c, long treeWrites, long memberWrites) {
    boolean ok = a == treeWrites && b == treeWrites && c == memberWrites;
    String counts = String.format(Locale.ROOT, "A = %.0f, B = %.0f, C = %.0f for %d tree writes and %d member writes"
        + " acknowledged", a, b, c, treeWrites, memberWrites);
    return ok ? "counters " + counts : "COUNTER MISMATCH: " + counts;
  }
}
