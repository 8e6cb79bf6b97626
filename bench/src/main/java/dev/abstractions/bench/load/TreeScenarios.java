package dev.abstractions.bench.load;

import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
      return ResultRow.Sample.of(result, T1_MEMBERS + " member writes per call: "
          + Ratio.rate(result.throughput() * T1_MEMBERS) + " member writes/s");
    }
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
}
