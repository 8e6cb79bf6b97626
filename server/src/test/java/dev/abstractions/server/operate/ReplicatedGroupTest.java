package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.AbortOperationRequest;
import dev.abstractions.api.v1.AttachTreeRequest;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.BeginOperationResponse;
import dev.abstractions.api.v1.CommitOperationRequest;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.CreateMember;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityHistoryRequest;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.GetOperationRequest;
import dev.abstractions.api.v1.GetTreeRequest;
import dev.abstractions.api.v1.GetTreeResponse;
import dev.abstractions.api.v1.ListEntitiesRequest;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.PromoteTreeMemberRequest;
import dev.abstractions.api.v1.RejectionReason;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.api.v1.TreeChange;
import dev.abstractions.api.v1.TreeHistoryRequest;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.api.v1.UpdateMember;
import dev.abstractions.api.v1.WriteTreeRequest;
import dev.abstractions.client.EntityClient;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three server processes as one replicated group (--peers), each with its own data directory,
 * over real channels: writes sent to followers are committed through the leader; kill -9 of the
 * leader under that load loses no acknowledged write, the survivors elect a new leader and go on,
 * both hold the same versions and the same event sequence, and the killed member, restarted,
 * catches up to them. A member left without a quorum turns NOT_SERVING and commits nothing; one
 * that lost its data directory is sent a snapshot and catches up.
 */
class ReplicatedGroupTest {

  private static final int WRITERS = 8;

  @TempDir
  Path scratch;

  @Test
  void killingTheLeaderUnderLoadLosesNothingAcknowledged() throws Exception {
    try (ReplicatedGroup group = new ReplicatedGroup(scratch)) {
      int leader = group.leader();
      List<Integer> followers = new ArrayList<>(List.of(0, 1, 2));
      followers.remove(Integer.valueOf(leader));

      // Every writer works one entity through a follower: its writes are forwarded to the leader.
      List<String> keys = new ArrayList<>();
      long[] acknowledged = new long[WRITERS];
      for (int i = 0; i < WRITERS; i++) {
        keys.add(create(group.entities(followers.get(i % 2))));
        acknowledged[i] = 1;
      }
      ConcurrentLinkedQueue<Long> acks = new ConcurrentLinkedQueue<>();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> writers = new ArrayList<>();
      for (int i = 0; i < WRITERS; i++) {
        int writer = i;
        var entities = group.entities(followers.get(i % 2));
        Thread thread = new Thread(() -> {
          while (!stop.get()) {
            long version = acknowledged[writer];
            try {
              Entity written = entities.withDeadlineAfter(10, TimeUnit.SECONDS).update(UpdateEntityRequest.newBuilder()
                  .setLineageId(keys.get(writer)).setExpectedVersion(version).setData(count(version + 1)).build());
              assertThat(written.getVersion()).isEqualTo(version + 1);
              acknowledged[writer] = version + 1;
              acks.add(System.nanoTime());
            } catch (StatusRuntimeException e) {
              assertThat(e.getStatus().getCode()).as(e.toString())
                  .isIn(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);
              // Not answered: it may have been committed. The entity says whether it was.
              Entity head = readUntilAnswered(entities, keys.get(writer));
              assertThat(head.getVersion()).isBetween(version, version + 1);
              acknowledged[writer] = head.getVersion();
            }
          }
        });
        thread.start();
        writers.add(thread);
      }
      Thread.sleep(2_000);
      long killedAt = System.nanoTime();
      group.member(leader).close(); // SIGKILL
      Thread.sleep(4_000);
      stop.set(true);
      for (Thread writer : writers) {
        writer.join(TimeUnit.SECONDS.toMillis(60));
      }
      long stallNanos = longestGapAround(acks, killedAt);
      System.out.printf("leader kill: writes stalled %d ms%n", TimeUnit.NANOSECONDS.toMillis(stallNanos));
      assertThat(stallNanos).as("the survivors elect a leader and go on").isLessThan(TimeUnit.SECONDS.toNanos(5));

      // Both survivors hold every acknowledged version, and the same events in the same order.
      for (int survivor : followers) {
        var entities = group.entities(survivor);
        for (int i = 0; i < WRITERS; i++) {
          Entity head = entities.withDeadlineAfter(30, TimeUnit.SECONDS)
              .get(GetEntityRequest.newBuilder().setLineageId(keys.get(i)).build());
          assertThat(head.getVersion()).as("member %d, entity %d", survivor, i).isEqualTo(acknowledged[i]);
          assertThat(head.getData().getFieldsOrThrow("n").getNumberValue()).isEqualTo(acknowledged[i]);
        }
      }
      long events = WRITERS;
      for (long version : acknowledged) {
        events += version - 1;
      }
      List<String> first = feed(group.channel(followers.get(0)), events);
      assertThat(feed(group.channel(followers.get(1)), events)).isEqualTo(first);

      // The killed member comes back on its own data directory and catches up.
      group.stop(leader);
      group.start(leader);
      assertThat(feed(group.channel(leader), events)).isEqualTo(first);
    }
  }

  /**
   * A leader frozen (SIGSTOP) for longer than an election while writes go on through the
   * followers, then thawed: the others elected a new leader and went on, and the old one steps
   * down, catches up and holds the same feed. (The Ratis spike once saw a thawed leader wedge.)
   */
  @Test
  void aFrozenLeaderIsReplacedAndCatchesUpWhenItThaws() throws Exception {
    try (ReplicatedGroup group = new ReplicatedGroup(scratch)) {
      int leader = group.leader();
      int follower = (leader + 1) % 3;
      var entities = group.entities(follower);
      String key = create(entities);
      group.member(leader).signal("STOP");
      long version = writeFor(entities, key, Duration.ofSeconds(8), new ConcurrentLinkedQueue<>());
      assertThat(version).as("writes went on while the leader was frozen").isGreaterThan(10);
      group.member(leader).signal("CONT");
      List<String> expected = feed(group.channel(follower), version);
      assertThat(feed(group.channel(leader), version)).isEqualTo(expected);
      assertThat(group.entities(leader).withDeadlineAfter(30, TimeUnit.SECONDS)
          .get(GetEntityRequest.newBuilder().setLineageId(key).build()).getVersion()).isEqualTo(version);
    }
  }

  /**
   * A leader that confirmed a read, then froze (SIGSTOP) while the others elected a leader and
   * took a write, is sent a read while frozen and thawed (SIGCONT): it answers the new version or
   * UNAVAILABLE, never the version it confirmed before it froze. (Ratis's ReadIndex answers a
   * leader's read at a commit index it once confirmed without asking the followers again: a thawed
   * leader whose commit index had not moved served the old version.)
   */
  @Test
  void aThawedLeaderServesNoStaleRead() throws Exception {
    try (ReplicatedGroup group = new ReplicatedGroup(scratch)) {
      for (int round = 1; round <= 3; round++) {
        int leader = group.leader();
        String key = create(group.entities(leader));
        GetEntityRequest get = GetEntityRequest.newBuilder().setLineageId(key).build();
        assertThat(group.entities(leader).withDeadlineAfter(30, TimeUnit.SECONDS).get(get).getVersion()).isEqualTo(1);
        group.member(leader).signal("STOP");
        int next = group.leader();
        UpdateEntityRequest update = UpdateEntityRequest.newBuilder().setLineageId(key).setExpectedVersion(1)
            .setData(count(2)).setRequestId("round-" + round).build();
        assertThat(untilAnswered(() -> group.entities(next).withDeadlineAfter(30, TimeUnit.SECONDS).update(update))
            .getVersion()).isEqualTo(2);
        ListenableFuture<Entity> read =
            EntityServiceGrpc.newFutureStub(group.channel(leader)).withDeadlineAfter(30, TimeUnit.SECONDS).get(get);
        Thread.sleep(200); // the read waits in the frozen member's socket, to be served the moment it thaws
        group.member(leader).signal("CONT");
        try {
          assertThat(read.get().getVersion()).as("round %d: the read the thawed leader served", round).isEqualTo(2);
        } catch (ExecutionException refused) {
          assertThat(Status.fromThrowable(refused.getCause()).getCode()).as("round %d", round)
              .isEqualTo(Status.Code.UNAVAILABLE);
        }
      }
    }
  }

  /** SIGTERM of the leader (a rolling update): it hands leadership over before it stops. */
  @Test
  void aStoppingLeaderHandsOverLeadership() throws Exception {
    try (ReplicatedGroup group = new ReplicatedGroup(scratch)) {
      int leader = group.leader();
      int follower = (leader + 1) % 3;
      var entities = group.entities(follower);
      String key = create(entities);
      ConcurrentLinkedQueue<Long> acks = new ConcurrentLinkedQueue<>();
      Thread stopper = new Thread(() -> {
        try {
          Thread.sleep(1_000);
          group.member(leader).stop(Duration.ofSeconds(30));
        } catch (InterruptedException | IOException e) {
          throw new IllegalStateException(e);
        }
      });
      long stoppedAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      stopper.start();
      long version = writeFor(entities, key, Duration.ofSeconds(5), acks);
      stopper.join();
      assertThat(group.member(leader).output()).contains("handing over leadership before stopping")
          .contains("done=\"true\"");
      long stallNanos = longestGapAround(acks, stoppedAt);
      System.out.printf("leader stop: writes stalled %d ms%n", TimeUnit.NANOSECONDS.toMillis(stallNanos));
      assertThat(group.entities(follower).withDeadlineAfter(30, TimeUnit.SECONDS)
          .get(GetEntityRequest.newBuilder().setLineageId(key).build()).getVersion()).isEqualTo(version);
    }
  }

  /**
   * ... and answers serializable reads from what it applied, while linearizable ones fail: no
   * leader can confirm them.
   */
  @Test
  void aMemberCutOffFromItsQuorumTurnsNotServingAndCommitsNothing() throws Exception {
    try (ReplicatedGroup group = new ReplicatedGroup(scratch)) {
      var health = HealthGrpc.newBlockingStub(group.channel(0));
      assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
          .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      String key = create(group.entities(0));
      Entity written = group.entities(0).withDeadlineAfter(30, TimeUnit.SECONDS).update(UpdateEntityRequest.newBuilder()
          .setLineageId(key).setExpectedVersion(1).setData(count(2)).build());
      GetEntityRequest serializable = GetEntityRequest.newBuilder().setLineageId(key).setSerializable(true).build();
      group.member(1).close();
      group.member(2).close();

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      HealthCheckResponse.ServingStatus status;
      do {
        Thread.sleep(200);
        status = health.check(HealthCheckRequest.getDefaultInstance()).getStatus();
      } while (status == HealthCheckResponse.ServingStatus.SERVING && System.nanoTime() < deadline);
      assertThat(status).isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
      var entities = group.entities(0).withDeadlineAfter(20, TimeUnit.SECONDS);
      StatusRuntimeException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
          () -> entities.create(CreateEntityRequest.newBuilder().setEntityType("counter").setData(count(1)).build()),
          StatusRuntimeException.class);
      assertThat(refused.getStatus().getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);

      // The writes went through member 0, which answers only once it has applied them itself.
      assertThat(group.entities(0).withDeadlineAfter(10, TimeUnit.SECONDS).get(serializable)).isEqualTo(written);
      assertThat(group.entities(0).withDeadlineAfter(10, TimeUnit.SECONDS)
          .history(EntityHistoryRequest.newBuilder().setLineageId(key).setSerializable(true).build()).getVersionsList())
          .extracting(Entity::getVersion).containsExactly(1L, 2L);
      StatusRuntimeException unconfirmed = org.assertj.core.api.Assertions.catchThrowableOfType(
          () -> group.entities(0).withDeadlineAfter(20, TimeUnit.SECONDS)
              .get(serializable.toBuilder().setSerializable(false).build()),
          StatusRuntimeException.class);
      assertThat(unconfirmed.getStatus().getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);

      // The Java client's serializable() view and the CLI's --serializable ask for the same.
      assertThat(EntityClient.using(group.channel(0)).serializable().get(key)).isEqualTo(written);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exitCode = dev.abstractions.cli.Main.run(new String[] {"--target",
          "127.0.0.1:" + group.member(0).awaitPort(Duration.ofSeconds(5)), "--timeout", "10", "get", "--serializable",
          key}, InputStream.nullInputStream(), new PrintWriter(out, true), new PrintWriter(err, true), Map.of());
      assertThat(exitCode).as(err.toString()).isZero();
      assertThat(out.toString()).contains("lineage_id        " + key + "\n").contains("version           2\n");
    }
  }

  /**
   * The snapshot sent here holds about 24 MB (each version once, the events refer to them): Ratis
   * sends it in 1 MB pieces and pauses the state machine for each piece, which failed on the
   * second piece before (ILLEGAL TRANSITION PAUSED -> PAUSING, with 16 MB pieces at any snapshot
   * over 16 MB) and left the member unable to start. The member is frozen for a while as the
   * pieces arrive: the leader's pieces in flight wait on it, and time out, and are sent again.
   */
  @Test
  void aMemberThatLostItsDataCatchesUpFromASnapshot() throws Exception {
    try (ReplicatedGroup group = new ReplicatedGroup(scratch, "--snapshot-every", "20", "--log-segment-bytes", "65536",
        "--event-retention", "100")) {
      int leader = group.leader();
      int lost = (leader + 1) % 3;
      var entities = group.entities(leader);
      List<String> keys = createCounters(entities, 4);
      // Well past several snapshots and 64 KiB log segments (each write carries 100 KB): the log the
      // lost member would need is deleted by then.
      writeRounds(entities, keys, 1, 60, 100_000);
      List<String> expected =
          feed(group.channel(leader), SubscribeRequest.newBuilder().setFromOldest(true).build(), 100);
      assertThat(expected.get(99)).endsWith(" " + keys.get(3) + " ENTITY_VERSIONED 60");

      group.stop(lost);
      deleteRecursively(group.dataDir(lost));
      group.launch(lost);
      // Frozen once the first piece arrived.
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
          .until(() -> receivingSnapshot(group.dataDir(lost)));
      group.member(lost).signal("STOP");
      Thread.sleep(5_000);
      assertThat(group.member(leader).isAlive()).as(group.member(leader).output()).isTrue();
      group.member(lost).signal("CONT");
      group.awaitServing(lost);
      long oldest = Long.parseLong(expected.get(0).substring(0, expected.get(0).indexOf(' ')));
      assertThat(feed(group.channel(lost), SubscribeRequest.newBuilder().setFromSequence(oldest).build(), 100))
          .isEqualTo(expected);
      assertThat(group.member(lost).output()).as("it was sent a snapshot, not the deleted log").contains("snapshot loaded");
      assertThat(group.member(leader).output()).doesNotContain("OutOfMemoryError");
      var restored = group.entities(lost);
      for (String key : keys) {
        assertThat(restored.withDeadlineAfter(30, TimeUnit.SECONDS)
            .get(GetEntityRequest.newBuilder().setLineageId(key).build()).getVersion()).isEqualTo(60);
      }
    }
  }

  /**
   * A follower frozen while the leader takes a snapshot, thawed within the log entries the leader
   * keeps, catches up from that log: a snapshot sent to a running member with
   * state of its own could only be loaded by ending the process (before, the leader kept no log
   * behind its snapshot, and the follower ended so).
   */
  @Test
  void aFollowerALittleBehindCatchesUpFromTheLog() throws Exception {
    try (ReplicatedGroup group =
        new ReplicatedGroup(scratch, "--snapshot-every", "34", "--log-segment-bytes", "65536")) {
      int leader = group.leader();
      int behind = (leader + 1) % 3;
      var entities = group.entities(leader);
      String key = create(entities);
      // Each write carries 10 KB, so the log rolls to a new 64 KiB segment every 6 or so entries
      // and segments wholly behind the snapshot can be deleted.
      writeRounds(entities, List.of(key), 1, 30, 10_000);
      untilApplied(group, behind, key, 30);
      group.member(behind).signal("STOP");
      // 31 writes so far, 12 more: the snapshot at the 34th is taken while the follower is frozen.
      // 12 writes are about 27 log entries with the read barriers and commit notices between them,
      // fewer than the 34 the leader keeps, counted back from its newest entry when it purges.
      writeRounds(entities, List.of(key), 30, 42, 10_000);
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(group.metric(leader, "abstractions_raft_snapshot_index").orElseThrow()).isPositive());

      group.member(behind).signal("CONT");
      untilApplied(group, behind, key, 42);
      assertThat(group.member(behind).isAlive()).isTrue();
      assertThat(group.member(behind).output()).doesNotContain("snapshot was installed");
    }
  }

  /**
   * A follower frozen while the others commit 120 MB of log: the leader keeps most of the entries
   * the follower has yet to receive on disk, not in its heap (Ratis caches up to 6 log segments, 200
   * MB, by default: with a 128 MB heap the leader ran out of it and the write failed
   * UNAVAILABLE), and the follower catches up from them once it thaws.
   */
  @Test
  void aLeaderKeepsTheLogAFrozenFollowerMissesOnDisk() throws Exception {
    try (ReplicatedGroup group = new ReplicatedGroup(scratch, 128, "--history-limit", "1", "--event-retention",
        "10", "--log-segment-bytes", "16777216")) {
      int leader = group.leader();
      int frozen = (leader + 1) % 3;
      var entities = group.entities(leader);
      List<String> keys = createCounters(entities, 4);
      untilApplied(group, frozen, keys.get(3), 1);
      group.member(frozen).signal("STOP");
      writeRounds(entities, keys, 1, 151, 200_000);
      assertThat(group.member(leader).output()).doesNotContain("OutOfMemoryError");
      group.member(frozen).signal("CONT");
      for (String key : keys) {
        untilApplied(group, frozen, key, 151);
      }
      assertThat(group.member(leader).output()).doesNotContain("OutOfMemoryError");
    }
  }

  private static List<String> createCounters(EntityServiceGrpc.EntityServiceBlockingStub entities, int count) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(create(entities));
    }
    return keys;
  }

  /**
   * Updates every key, at {@code from} when called, one version at a time up to {@code to}, key
   * after key in each round; each write carries {@code paddingBytes} of padding.
   */
  private static void writeRounds(EntityServiceGrpc.EntityServiceBlockingStub entities, List<String> keys, long from,
      long to, int paddingBytes) {
    Value padding = Value.newBuilder().setStringValue("x".repeat(paddingBytes)).build();
    for (long version = from; version < to; version++) {
      for (String key : keys) {
        entities.withDeadlineAfter(30, TimeUnit.SECONDS).update(UpdateEntityRequest.newBuilder().setLineageId(key)
            .setExpectedVersion(version).setData(count(version + 1).toBuilder().putFields("padding", padding)).build());
      }
    }
  }

  /** Waits until the member's own state (a serializable read) holds {@code key} at {@code version}. */
  private static void untilApplied(ReplicatedGroup group, int member, String key, long version) {
    Awaitility.await(group.id(member) + " holds version " + version).atMost(Duration.ofSeconds(30))
        .until(() -> group.entities(member)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .get(GetEntityRequest.newBuilder().setLineageId(key).setSerializable(true).build()).getVersion() == version);
  }

  /**
   * A linearizable read on a group is a log entry with no command (as is a commit notice): reads
   * alone take no snapshot of the state however many entries they make; writes take one every
   * --snapshot-every of their entries.
   */
  @Test
  void readsAloneTakeNoSnapshotWritesDo() throws Exception {
    try (ReplicatedGroup group = new ReplicatedGroup(scratch, "--snapshot-every", "20")) {
      int leader = group.leader();
      var entities = group.entities(leader);
      String key = create(entities);
      long snapshotBefore = group.metric(leader, "abstractions_raft_snapshot_index").orElseThrow();
      long appliedBefore = group.metric(leader, "abstractions_raft_applied_index").orElseThrow();

      for (int i = 0; i < 100; i++) {
        assertThat(entities.withDeadlineAfter(30, TimeUnit.SECONDS)
            .get(GetEntityRequest.newBuilder().setLineageId(key).build()).getVersion()).isEqualTo(1);
      }

      assertThat(group.metric(leader, "abstractions_raft_applied_index").orElseThrow() - appliedBefore)
          .as("each read is an entry of its own").isGreaterThanOrEqualTo(100);
      assertThat(group.metric(leader, "abstractions_raft_snapshot_index").orElseThrow()).isEqualTo(snapshotBefore);

      for (int version = 1; version <= 25; version++) {
        entities.withDeadlineAfter(30, TimeUnit.SECONDS).update(UpdateEntityRequest.newBuilder().setLineageId(key)
            .setExpectedVersion(version).setData(count(version + 1)).build());
      }
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(
          () -> group.metric(leader, "abstractions_raft_snapshot_index").orElseThrow() > snapshotBefore);
    }
  }

  /**
   * Trees are decided once, in the log: a tree built through a follower (members, a tree write, a
   * promotion) reads the same on every member, at every tree version, with the same events.
   */
  @Test
  void everyMemberHoldsTheSameTrees() throws Exception {
    try (ReplicatedGroup group = new ReplicatedGroup(scratch)) {
      int follower = (group.leader() + 1) % 3;
      var entities = group.entities(follower).withDeadlineAfter(30, TimeUnit.SECONDS);
      String root = create(entities);
      String branch = entities.create(CreateEntityRequest.newBuilder().setParentLineageId(root)
          .setEntityType("Counter").setData(count(1)).build()).getLineageId();
      entities.writeTree(WriteTreeRequest.newBuilder().setRootLineageId(root).setExpectedTreeVersion(2)
          .addChanges(TreeChange.newBuilder().setCreate(CreateMember.newBuilder().setParentLineageId(branch)
              .setEntityType("Counter").setData(count(2))))
          .addChanges(TreeChange.newBuilder().setUpdate(UpdateMember.newBuilder().setLineageId(root)
              .setData(count(3))))
          .build());
      entities.promoteTreeMember(PromoteTreeMemberRequest.newBuilder().setLineageId(branch)
          .setExpectedTreeVersion(3).build());
      // A third tree joins the promoted one: both at max(1, 4) + 1.
      String joining = create(entities);
      assertThat(entities.attachTree(AttachTreeRequest.newBuilder().setLineageId(joining).setExpectedTreeVersion(1)
          .setParentLineageId(branch).setExpectedParentTreeVersion(4).build()).getTreeVersion()).isEqualTo(5);

      List<Object> seen = null;
      for (int member = 0; member < 3; member++) {
        var reader = group.entities(member).withDeadlineAfter(30, TimeUnit.SECONDS);
        List<Object> trees = new ArrayList<>();
        for (long treeVersion = 1; treeVersion <= 4; treeVersion++) {
          trees.add(reader.getTree(GetTreeRequest.newBuilder().setRootLineageId(root).setTreeVersion(treeVersion)
              .build()));
        }
        trees.add(reader.getTree(GetTreeRequest.newBuilder().setRootLineageId(branch).build()));
        trees.add(reader.treeHistory(TreeHistoryRequest.newBuilder().setRootLineageId(root).build()));
        trees.add(reader.treeHistory(TreeHistoryRequest.newBuilder().setRootLineageId(branch).build()));
        trees.add(feed(group.channel(member), 6));
        if (seen == null) {
          seen = trees;
          assertThat(((GetTreeResponse) trees.get(4)).getMembersCount()).isEqualTo(3);
          assertThat(((GetTreeResponse) trees.get(3)).getMembersCount()).isEqualTo(1);
        } else {
          assertThat(trees).as("member %d", member).isEqualTo(seen);
        }
      }
    }
  }

  /**
   * A member restarted with other decision flags than the group's decides with the group's, as
   * every replica must: a create past the group's tree limit is refused through it too, and every
   * member holds the same tree (before the group's settings were part of its state, that member
   * created it alone and told its client so); a Begin that waits there for a gate owner is bounded
   * by the group's operations per target, not by that member's flag.
   */
  @Test
  void aMemberWithOtherFlagsDecidesWithTheGroupsSettings() throws Exception {
    try (ReplicatedGroup group = new ReplicatedGroup(scratch, "--max-tree-members", "2",
        "--max-operations-per-target", "10")) {
      int leader = group.leader();
      int odd = (leader + 1) % 3;
      var entities = group.entities(leader).withDeadlineAfter(30, TimeUnit.SECONDS);
      String root = create(entities);
      entities.create(CreateEntityRequest.newBuilder().setParentLineageId(root).setEntityType("counter")
          .setData(count(1)).build());
      group.stop(odd);
      group.start(odd, "--max-tree-members", "100", "--max-operations-per-target", "1");

      StatusRuntimeException refused = refusal(() -> group.entities(odd).withDeadlineAfter(30, TimeUnit.SECONDS)
          .create(CreateEntityRequest.newBuilder().setParentLineageId(root).setEntityType("counter")
              .setData(count(2)).build()));
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(refused.getStatus().getDescription()).contains("at most 2");
      for (int member = 0; member < 3; member++) {
        assertThat(group.entities(member).withDeadlineAfter(30, TimeUnit.SECONDS).getTree(GetTreeRequest.newBuilder()
            .setRootLineageId(root).build()).getMembersCount()).as("member %d", member).isEqualTo(2);
      }

      var operations = OperationServiceGrpc.newBlockingStub(group.channel(odd)).withDeadlineAfter(30, TimeUnit.SECONDS);
      String owner = operations.begin(BeginOperationRequest.newBuilder().setTargetLineageId(root)
          .setPriorityClass(PriorityClass.STRUCTURAL).build()).getOperation().getOpId();
      long version = group.entities(odd).withDeadlineAfter(30, TimeUnit.SECONDS)
          .get(GetEntityRequest.newBuilder().setLineageId(root).build()).getVersion();
      group.entities(odd).withDeadlineAfter(30, TimeUnit.SECONDS).update(UpdateEntityRequest.newBuilder()
          .setLineageId(root).setExpectedVersion(version).setData(count(5)).build());
      assertThat(operations.commit(CommitOperationRequest.newBuilder().setOpId(owner).setData(count(6)).build())
          .getOutcome()).isEqualTo(CommitOutcome.OUTCOME_CONFLICT); // retrying now: it owns the gate
      // A NORMAL Begin waits on this member while the owner holds the gate (up to NORMAL's longest
      // wait), then starts: one waiting and one in flight is within the group's 10, not the flag's 1.
      BeginOperationResponse waited = operations.begin(BeginOperationRequest.newBuilder().setTargetLineageId(root)
          .setPriorityClass(PriorityClass.NORMAL).build());
      assertThat(waited.getSnapshot().getLineageId()).isEqualTo(root);
      operations.abort(AbortOperationRequest.newBuilder().setOpId(owner).build());
      operations.abort(AbortOperationRequest.newBuilder().setOpId(waited.getOperation().getOpId()).build());

      assertThat(group.member(odd).output()).contains("this member's flags give other settings than the group's");
      assertThat(group.errors()).isEmpty();
    }
  }

  /**
   * An operation begun through a member that then dies (kill -9) had its expiry timer there: the
   * leader's sweep expires it instead, soon after its deadline, and its target takes new
   * operations.
   */
  @Test
  void anOperationWhoseMemberDiedExpiresOnTheLeader() throws Exception {
    try (ReplicatedGroup group = new ReplicatedGroup(scratch)) {
      int leader = group.leader();
      int doomed = (leader + 1) % 3;
      String key = create(group.entities(leader));
      OperationEntity begun = OperationServiceGrpc.newBlockingStub(group.channel(doomed))
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .begin(BeginOperationRequest.newBuilder().setTargetLineageId(key)
              .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(2)).build())
          .getOperation();
      group.stop(doomed); // SIGKILL, timers and all
      long stoppedAt = System.nanoTime();

      var operations = OperationServiceGrpc.newBlockingStub(group.channel(leader));
      GetOperationRequest get = GetOperationRequest.newBuilder().setOpId(begun.getOpId()).build();
      OperationEntity expired = Awaitility.await().atMost(Duration.ofSeconds(20)).until(
          () -> operations.withDeadlineAfter(30, TimeUnit.SECONDS).get(get),
          op -> op.getStatus() == OperationStatus.REJECTED);
      assertThat(expired.getRejectionReason()).isEqualTo(RejectionReason.EXPIRED);
      System.out.printf("orphaned operation (ttl 2 s) expired %d ms after its member died%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt));
      assertThat(operations.withDeadlineAfter(30, TimeUnit.SECONDS)
          .begin(BeginOperationRequest.newBuilder().setTargetLineageId(key).build()).getSnapshot().getVersion())
          .isEqualTo(1);
    }
  }

  private static StatusRuntimeException refusal(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("the call was not refused");
  }

  private static String create(EntityServiceGrpc.EntityServiceBlockingStub entities) {
    return entities.withDeadlineAfter(30, TimeUnit.SECONDS).create(CreateEntityRequest.newBuilder()
        .setEntityType("counter").setData(count(1)).build()).getLineageId();
  }

  /**
   * A Create and an Update sent with request ids through one member, replayed through each of the
   * others and, once the leader is killed, through each survivor: every replay is answered the
   * first answer and writes nothing, whichever member takes it (the requests are part of the
   * replicated state). The same id with a different request is INVALID_ARGUMENT on every member.
   */
  @Test
  void aRequestReplayedThroughAnyMemberIsAnsweredItsFirstAnswerAlsoAfterTheLeaderDies() throws Exception {
    try (ReplicatedGroup group = new ReplicatedGroup(scratch)) {
      int leader = group.leader();
      int writer = (leader + 1) % 3;
      CreateEntityRequest create = CreateEntityRequest.newBuilder().setEntityType("ledgered").setData(count(1))
          .setRequestId("create-1").build();
      Entity created = group.entities(writer).withDeadlineAfter(30, TimeUnit.SECONDS).create(create);
      UpdateEntityRequest update = UpdateEntityRequest.newBuilder().setLineageId(created.getLineageId())
          .setExpectedVersion(1).setData(count(2)).setRequestId("update-1").build();
      Entity updated = group.entities(writer).withDeadlineAfter(30, TimeUnit.SECONDS).update(update);
      assertThat(updated.getVersion()).isEqualTo(2);

      List<Integer> others = new ArrayList<>(List.of(0, 1, 2));
      others.remove(Integer.valueOf(writer));
      for (int member : others) {
        assertReplayed(group.entities(member), create, created, update, updated);
      }
      group.stop(leader); // SIGKILL
      List<Integer> survivors = new ArrayList<>(List.of(0, 1, 2));
      survivors.remove(Integer.valueOf(leader));
      for (int member : survivors) {
        assertReplayed(group.entities(member), create, created, update, updated);
      }
    }
  }

  private static void assertReplayed(EntityServiceGrpc.EntityServiceBlockingStub entities, CreateEntityRequest create,
      Entity created, UpdateEntityRequest update, Entity updated) {
    assertThat(untilAnswered(() -> entities.withDeadlineAfter(30, TimeUnit.SECONDS).create(create)))
        .isEqualTo(created);
    assertThat(untilAnswered(() -> entities.withDeadlineAfter(30, TimeUnit.SECONDS).update(update)))
        .isEqualTo(updated);
    StatusRuntimeException reused = untilAnswered(() -> org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> entities.withDeadlineAfter(30, TimeUnit.SECONDS).update(update.toBuilder().setData(count(3)).build()),
        StatusRuntimeException.class));
    assertThat(reused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(untilAnswered(() -> entities.withDeadlineAfter(30, TimeUnit.SECONDS)
        .history(EntityHistoryRequest.newBuilder().setLineageId(created.getLineageId()).build()).getVersionsList()))
        .containsExactly(created, updated);
    assertThat(untilAnswered(() -> entities.withDeadlineAfter(30, TimeUnit.SECONDS)
        .list(ListEntitiesRequest.newBuilder().setEntityType("ledgered").build()).getEntitiesList()))
        .containsExactly(updated);
  }

  /** Calls {@code call} again while the member has no leader to answer with (an election), for 30 s at most. */
  private static <T> T untilAnswered(java.util.function.Supplier<T> call) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        T answer = call.get();
        if (answer instanceof StatusRuntimeException refused && refused.getStatus().getCode() == Status.Code.UNAVAILABLE
            && System.nanoTime() < deadline) {
          continue;
        }
        return answer;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  /**
   * Updates {@code key} (created at version 1) one version at a time for {@code duration}, adding
   * the time of each acknowledgement to {@code acks}; a write left unanswered by an election is
   * settled by reading the entity. Returns the last version.
   */
  private static long writeFor(EntityServiceGrpc.EntityServiceBlockingStub entities, String key, Duration duration,
      ConcurrentLinkedQueue<Long> acks) {
    long version = 1;
    long until = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < until) {
      try {
        entities.withDeadlineAfter(15, TimeUnit.SECONDS).update(UpdateEntityRequest.newBuilder().setLineageId(key)
            .setExpectedVersion(version).setData(count(version + 1)).build());
        version++;
        acks.add(System.nanoTime());
      } catch (StatusRuntimeException e) {
        version = readUntilAnswered(entities, key).getVersion(); // an election: was it committed?
      }
    }
    return version;
  }

  /** Whether a member has begun to write a snapshot its leader sends (into Ratis's tmp directory). */
  private static boolean receivingSnapshot(Path dataDir) throws IOException {
    if (!java.nio.file.Files.exists(dataDir)) {
      return false;
    }
    try (var paths = java.nio.file.Files.walk(dataDir)) {
      return paths.anyMatch(path -> path.toString().contains("/tmp/snapshot-") && path.toFile().isFile()
          && path.toFile().length() > 0);
    } catch (java.io.UncheckedIOException e) {
      return false; // a file moved while walked: look again
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (var paths = java.nio.file.Files.walk(directory)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(path);
      }
    }
  }

  /** Reads an entity, waiting out an election. */
  private static Entity readUntilAnswered(EntityServiceGrpc.EntityServiceBlockingStub entities, String id) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return entities.withDeadlineAfter(10, TimeUnit.SECONDS).get(GetEntityRequest.newBuilder().setLineageId(id).build());
      } catch (StatusRuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  /** The first {@code count} events from sequence 1, as "sequence target kind version". */
  private static List<String> feed(ManagedChannel channel, long count) {
    return feed(channel, SubscribeRequest.newBuilder().setFromSequence(1).build(), count);
  }

  /** The first {@code count} events from {@code start}, as "sequence lineage kind version". */
  private static List<String> feed(ManagedChannel channel, SubscribeRequest start, long count) {
    Iterator<Event> events = EventServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
        .subscribe(start);
    List<String> seen = new ArrayList<>();
    while (seen.size() < count) {
      Event event = events.next();
      if (!event.hasProgress()) {
        long version = event.hasEntityCreated()
            ? event.getEntityCreated().getEntity().getVersion()
            : event.getEntityVersioned().getNewVersion();
        seen.add(event.getSequence() + " " + event.getTargetLineageId() + " " + event.getKindCase() + " " + version);
      }
    }
    return seen;
  }

  /** The longest time without an acknowledged write, among the gaps that span {@code at}. */
  private static long longestGapAround(ConcurrentLinkedQueue<Long> acks, long at) {
    List<Long> times = new ArrayList<>(acks);
    times.sort(null);
    long longest = 0;
    long previous = Long.MIN_VALUE;
    for (long time : times) {
      if (previous != Long.MIN_VALUE && time >= at && previous <= at + TimeUnit.SECONDS.toNanos(3)) {
        longest = Math.max(longest, time - Math.max(previous, at));
      }
      previous = time;
    }
    return longest;
  }

  private static Struct count(long n) {
    return Struct.newBuilder().putFields("n", Value.newBuilder().setNumberValue(n).build()).build();
  }
}
