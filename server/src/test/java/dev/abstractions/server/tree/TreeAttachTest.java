package dev.abstractions.server.tree;

import static dev.abstractions.server.tree.EntityTreeTest.info;
import static dev.abstractions.server.tree.EntityTreeTest.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.BadRequest;
import dev.abstractions.api.v1.AttachTreeRequest;
import dev.abstractions.api.v1.AttachTreeResponse;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.BeginOperationResponse;
import dev.abstractions.api.v1.CommitOperationRequest;
import dev.abstractions.api.v1.CommitOperationResponse;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.DeleteEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventFilter;
import dev.abstractions.api.v1.EventKind;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.GetOperationRequest;
import dev.abstractions.api.v1.GetTreeRequest;
import dev.abstractions.api.v1.GetTreeResponse;
import dev.abstractions.api.v1.MemberChanged;
import dev.abstractions.api.v1.MemberVersion;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.PromoteTreeMemberRequest;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.api.v1.TreeHistoryRequest;
import dev.abstractions.api.v1.TreeVersion;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Attaching a root, with its tree, under a member of another tree. */
class TreeAttachTest {

  private static TestServer server;
  private static EntityServiceGrpc.EntityServiceBlockingStub entities;
  private static OperationServiceGrpc.OperationServiceBlockingStub operations;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start("--history-limit", "1000");
    entities = EntityServiceGrpc.newBlockingStub(server.channel());
    operations = OperationServiceGrpc.newBlockingStub(server.channel());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void anAttachedTreeJoinsUnderTheParentAndBothTreesMoveToOnePastTheLargerVersion() {
    // The receiving tree B is at 3, the attached tree A at 6.
    Entity b = create("", 0);
    Entity parent = create(b.getLineageId(), 1);
    Entity bOther = create(b.getLineageId(), 2);
    Entity a = create("", 10);
    Entity line = create(a.getLineageId(), 11);
    Entity note = create(line.getLineageId(), 12);
    Entity gone = create(a.getLineageId(), 13);
    entities.delete(DeleteEntityRequest.newBuilder().setLineageId(gone.getLineageId()).setExpectedVersion(1).build());
    Entity line2 = update(line, 21);
    assertThat(line2.getTreeVersion()).isEqualTo(6);

    AttachTreeResponse attached = attach(a, 6, parent, 3);
    assertThat(attached.getRootLineageId()).isEqualTo(b.getLineageId());
    assertThat(attached.getTreeVersion()).as("one past the larger of 6 and 3").isEqualTo(7);
    assertThat(attached.getWrittenList()).extracting(Entity::getLineageId)
        .containsExactly(parent.getLineageId(), a.getLineageId(), line.getLineageId(), note.getLineageId());
    assertThat(attached.getWrittenList()).extracting(Entity::getTreeVersion).containsOnly(7L);
    assertThat(attached.getWrittenList()).extracting(Entity::getRootLineageId).containsOnly(b.getLineageId());
    assertThat(attached.getWrittenList()).extracting(Entity::getLastModifiedNs).containsOnly(
        attached.getWritten(0).getLastModifiedNs());
    Entity parent2 = attached.getWritten(0);
    Entity a2 = attached.getWritten(1);
    Entity line3 = attached.getWritten(2);
    Entity note2 = attached.getWritten(3);
    assertThat(parent2.getVersion()).isEqualTo(2);
    assertThat(parent2.getData()).as("it only gained a child").isEqualTo(parent.getData());
    assertThat(parent2.getPreviousEcsId()).isEqualTo(parent.getEcsId());
    assertThat(a2.getVersion()).isEqualTo(2);
    assertThat(a2.getParentLineageId()).isEqualTo(parent.getLineageId());
    assertThat(a2.getData()).isEqualTo(a.getData());
    assertThat(line3.getVersion()).isEqualTo(3);
    assertThat(line3.getParentLineageId()).isEqualTo(a.getLineageId());
    assertThat(line3.getData()).isEqualTo(line2.getData());
    assertThat(note2.getParentLineageId()).isEqualTo(line.getLineageId());

    assertThat(tree(b, 0).getTreeVersion()).isEqualTo(7);
    assertThat(tree(b, 0).getMembersList()).containsExactlyInAnyOrder(b, parent2, bOther, a2, line3, note2);
    // The receiving tree's versions before read as they were: the newcomers were not in it then.
    assertThat(tree(b, 3).getMembersList()).containsExactlyInAnyOrder(b, parent, bOther);
    assertThat(tree(b, 6).getMembersList()).as("a tree version the attachment skipped: as at 3")
        .containsExactlyInAnyOrder(b, parent, bOther);
    List<TreeVersion> history = entities.treeHistory(TreeHistoryRequest.newBuilder()
        .setRootLineageId(b.getLineageId()).build()).getVersionsList();
    assertThat(history).extracting(TreeVersion::getTreeVersion).containsExactly(1L, 2L, 3L, 7L);
    assertThat(history.get(3).getChangedList()).extracting(MemberVersion::getLineageId).containsExactlyInAnyOrder(
        parent.getLineageId(), a.getLineageId(), line.getLineageId(), note.getLineageId());

    // The attached root is a member now: tree calls name its new root.
    StatusRuntimeException notARoot = refusal(() -> tree(a, 0));
    assertThat(notARoot.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(info(notARoot).getReason()).isEqualTo("NOT_A_ROOT");
    assertThat(info(notARoot).getMetadataMap()).containsEntry("root_lineage_id", b.getLineageId());
    // Its members' writes move the joined tree on by one.
    Entity note3 = update(note2, 30);
    assertThat(note3.getTreeVersion()).isEqualTo(8);
    assertThat(note3.getRootLineageId()).isEqualTo(b.getLineageId());
    assertThat(tree(b, 0).getTreeVersion()).isEqualTo(8);
  }

  @Test
  void aTreeAtALowerVersionJoinsAtTheReceivingTreesNextVersion() {
    Entity b = create("", 0);
    for (int i = 0; i < 4; i++) {
      update(entities.get(GetEntityRequest.newBuilder().setLineageId(b.getLineageId()).build()), i);
    }
    Entity a = create("", 1);
    Entity member = create(a.getLineageId(), 2);
    AttachTreeResponse attached = attach(a, 2, b, 5);
    assertThat(attached.getTreeVersion()).isEqualTo(6);
    assertThat(attached.getWrittenList()).extracting(Entity::getLineageId)
        .containsExactly(b.getLineageId(), a.getLineageId(), member.getLineageId());
    assertThat(attached.getWritten(0).getParentLineageId()).as("the root itself took the child").isEmpty();
    assertThat(attached.getWritten(1).getParentLineageId()).isEqualTo(b.getLineageId());
    List<TreeVersion> history = entities.treeHistory(TreeHistoryRequest.newBuilder()
        .setRootLineageId(b.getLineageId()).build()).getVersionsList();
    assertThat(history).extracting(TreeVersion::getTreeVersion).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(tree(b, 0).getMembersList()).extracting(Entity::getLineageId)
        .containsExactlyInAnyOrder(b.getLineageId(), a.getLineageId(), member.getLineageId());
  }

  @Test
  void aPromotedBranchAttachedBackReadsExactlyAtEveryVersionOfItsTree() {
    Entity b = create("", 0);
    Entity branch = create(b.getLineageId(), 1);
    Entity leaf = create(branch.getLineageId(), 2);
    // B at 4, and the branch its own tree at 4.
    entities.promoteTreeMember(PromoteTreeMemberRequest.newBuilder().setLineageId(branch.getLineageId())
        .setExpectedTreeVersion(3).build());
    Entity leaf2 = update(entities.get(GetEntityRequest.newBuilder().setLineageId(leaf.getLineageId()).build()), 5);
    Entity leaf3 = update(leaf2, 6);
    assertThat(leaf3.getTreeVersion()).isEqualTo(6);
    AttachTreeResponse back = attach(branch, 6, b, 4);
    assertThat(back.getTreeVersion()).isEqualTo(7);
    for (long version = 1; version <= 7; version++) {
      List<String> ids = tree(b, version).getMembersList().stream().map(Entity::getLineageId).toList();
      if (version == 3) {
        assertThat(ids).containsExactlyInAnyOrder(b.getLineageId(), branch.getLineageId(), leaf.getLineageId());
      } else if (version <= 2) {
        assertThat(ids).hasSize((int) version);
      } else if (version < 7) {
        assertThat(ids).as("at %d the branch was a tree of its own", version).containsExactly(b.getLineageId());
      } else {
        assertThat(ids).containsExactlyInAnyOrder(b.getLineageId(), branch.getLineageId(), leaf.getLineageId());
      }
    }
    assertThat(tree(b, 0).getMembersList()).filteredOn(m -> m.getLineageId().equals(leaf.getLineageId()))
        .extracting(Entity::getData).containsExactly(leaf3.getData());
  }

  @Test
  void everyWrongAttachmentIsRefusedPreciselyAndChangesNothing() throws Exception {
    Entity a = create("", 0);
    Entity aMember = create(a.getLineageId(), 1);
    Entity b = create("", 2);
    Entity bMember = create(b.getLineageId(), 3);

    StatusRuntimeException member = refusal(() -> attach(aMember, 2, bMember, 2));
    assertThat(member.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(info(member).getReason()).isEqualTo("NOT_A_ROOT");
    assertThat(info(member).getMetadataMap()).containsEntry("lineage_id", aMember.getLineageId())
        .containsEntry("root_lineage_id", a.getLineageId());

    for (Entity inItsOwnTree : List.of(aMember, a)) {
      StatusRuntimeException cycle = refusal(() -> attach(a, 2, inItsOwnTree, 2));
      assertThat(cycle.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(info(cycle).getReason()).isEqualTo("TREE_CYCLE");
      assertThat(info(cycle).getMetadataMap()).containsEntry("lineage_id", a.getLineageId())
          .containsEntry("parent_lineage_id", inItsOwnTree.getLineageId());
    }

    StatusRuntimeException staleOwn = refusal(() -> attach(a, 1, bMember, 2));
    assertThat(staleOwn.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
    assertThat(info(staleOwn).getReason()).isEqualTo("TREE_VERSION_CONFLICT");
    assertThat(info(staleOwn).getMetadataMap()).containsEntry("root_lineage_id", a.getLineageId())
        .containsEntry("current_tree_version", "2");
    StatusRuntimeException staleParent = refusal(() -> attach(a, 2, bMember, 1));
    assertThat(info(staleParent).getReason()).isEqualTo("TREE_VERSION_CONFLICT");
    assertThat(info(staleParent).getMetadataMap()).containsEntry("root_lineage_id", b.getLineageId())
        .containsEntry("current_tree_version", "2");

    String unknown = "00000000-0000-0000-0000-0000000000ff";
    StatusRuntimeException noRoot = refusal(() -> entities.attachTree(AttachTreeRequest.newBuilder()
        .setLineageId(unknown).setExpectedTreeVersion(1).setParentLineageId(bMember.getLineageId())
        .setExpectedParentTreeVersion(2).build()));
    assertThat(noRoot.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(info(noRoot).getMetadataMap()).containsEntry("lineage_id", unknown);
    StatusRuntimeException noParent = refusal(() -> entities.attachTree(AttachTreeRequest.newBuilder()
        .setLineageId(a.getLineageId()).setExpectedTreeVersion(2).setParentLineageId(unknown)
        .setExpectedParentTreeVersion(2).build()));
    assertThat(noParent.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(info(noParent).getMetadataMap()).containsEntry("lineage_id", unknown);

    Entity deleted = create(b.getLineageId(), 4);
    entities.delete(DeleteEntityRequest.newBuilder().setLineageId(deleted.getLineageId()).setExpectedVersion(1)
        .build());
    StatusRuntimeException deletedParent = refusal(() -> attach(a, 2, deleted, 4));
    assertThat(deletedParent.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(info(deletedParent).getReason()).isEqualTo("ENTITY_DELETED");

    StatusRuntimeException badPriority = refusal(() -> entities.attachTree(AttachTreeRequest.newBuilder()
        .setLineageId(a.getLineageId()).setExpectedTreeVersion(0).setParentLineageId(bMember.getLineageId())
        .setExpectedParentTreeVersion(4).setPriority(11).build()));
    assertThat(badPriority.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    BadRequest badRequest = StatusProto.fromThrowable(badPriority).getDetailsList().stream()
        .filter(detail -> detail.is(BadRequest.class)).findFirst().orElseThrow().unpack(BadRequest.class);
    assertThat(badRequest.getFieldViolationsList()).extracting(BadRequest.FieldViolation::getField)
        .containsExactly("expected_tree_version", "priority");

    assertThat(tree(a, 0).getTreeVersion()).isEqualTo(2);
    assertThat(tree(a, 0).getMembersList()).containsExactlyInAnyOrder(a, aMember);
    assertThat(tree(b, 0).getTreeVersion()).isEqualTo(4);
  }

  @Test
  void theAttachedRootsOperationsFailAndAGateOwnerOfAtLeastItsPriorityHoldsIt() {
    Entity a = create("", 0);
    Entity b = create("", 1);
    BeginOperationResponse onA = operations.begin(BeginOperationRequest.newBuilder()
        .setTargetLineageId(a.getLineageId()).setOpType("work").build());

    // A STRUCTURAL operation that conflicted once owns B's gate at priority 10 ...
    BeginOperationResponse owner = operations.begin(BeginOperationRequest.newBuilder()
        .setTargetLineageId(b.getLineageId()).setPriorityClass(PriorityClass.STRUCTURAL).build());
    Entity b2 = update(b, 2);
    CommitOperationResponse conflict = operations.commit(CommitOperationRequest.newBuilder()
        .setOpId(owner.getOperation().getOpId()).setData(count(3)).build());
    assertThat(conflict.getOperation().getStatus()).isEqualTo(OperationStatus.RETRYING);
    // ... so an attachment at the default 10 waits for it, and one at 9 yields to it.
    StatusRuntimeException held = refusal(() -> attach(a, 1, b, 2));
    assertThat(held.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
    assertThat(info(held).getReason()).isEqualTo("GATE_HELD");
    assertThat(info(held).getMetadataMap()).containsKey("retry_after_ms");
    StatusRuntimeException preempted = refusal(() -> entities.attachTree(request(a, 1, b, 2).toBuilder()
        .setPriority(9).build()));
    assertThat(info(preempted).getReason()).isEqualTo("PREEMPTED");
    assertThat(info(preempted).getMetadataMap()).containsEntry("preempted_by_op_id",
        owner.getOperation().getOpId());
    CommitOperationResponse done = operations.commit(CommitOperationRequest.newBuilder()
        .setOpId(owner.getOperation().getOpId()).setData(count(3)).build());
    assertThat(done.getOperation().getStatus()).isEqualTo(OperationStatus.SUCCEEDED);

    AttachTreeResponse attached = attach(a, 1, b, 3);
    assertThat(attached.getTreeVersion()).isEqualTo(4);
    var failed = operations.get(GetOperationRequest.newBuilder().setOpId(onA.getOperation().getOpId()).build());
    assertThat(failed.getStatus()).isEqualTo(OperationStatus.FAILED);
    assertThat(failed.getFailureMessage()).isEqualTo("target " + a.getLineageId() + " was attached under "
        + b.getLineageId() + " in the tree of " + b.getLineageId() + " at tree version 4");
    // In cause order: the attachment, then the failure it caused.
    Iterator<Event> ofA = EventServiceGrpc.newBlockingStub(server.channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
        .subscribe(SubscribeRequest.newBuilder().setFilter(EventFilter.newBuilder().addLineageIds(a.getLineageId())
            .addKinds(EventKind.EVENT_TREE_ATTACHED).addKinds(EventKind.EVENT_OPERATION_FAILED)).setFromSequence(1)
            .build());
    Event first = ofA.next();
    Event second = ofA.next();
    assertThat(List.of(first.getKindCase(), second.getKindCase()))
        .containsExactly(Event.KindCase.TREE_ATTACHED, Event.KindCase.OPERATION_FAILED);
    assertThat(second.getSequence()).isEqualTo(first.getSequence() + 1);
    assertThat(second.getOpId()).isEqualTo(onA.getOperation().getOpId());
    StatusRuntimeException begin = refusal(() -> operations.begin(BeginOperationRequest.newBuilder()
        .setTargetLineageId(a.getLineageId()).build()));
    assertThat(info(begin).getReason()).isEqualTo("NOT_A_ROOT");
    assertThat(b2.getVersion()).isEqualTo(2);
  }

  @Test
  void oneTreeAttachedEventRecordsItAndEitherTreesFilterPassesIt() throws Exception {
    Entity a = create("", 0);
    Entity member = create(a.getLineageId(), 1);
    Entity b = create("", 2);
    ManagedChannel channel = server.newChannel();
    try {
      var feed = EventServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
      Iterator<Event> ofA = feed.subscribe(SubscribeRequest.newBuilder().setIncludeEntities(true)
          .setFilter(EventFilter.newBuilder().addRootLineageIds(a.getLineageId())).setFromSequence(1).build());
      Iterator<Event> ofB = feed.subscribe(SubscribeRequest.newBuilder()
          .setFilter(EventFilter.newBuilder().addRootLineageIds(b.getLineageId())).setFromSequence(1).build());
      AttachTreeResponse attached = attach(a, 2, b, 1);

      Event event = next(ofA, Event.KindCase.TREE_ATTACHED);
      assertThat(event.getTargetLineageId()).isEqualTo(a.getLineageId());
      assertThat(event.getRootLineageId()).isEqualTo(b.getLineageId());
      assertThat(event.getPriority()).isEqualTo(10);
      assertThat(event.getTreeAttached().getOldTreeVersion()).isEqualTo(1);
      assertThat(event.getTreeAttached().getAttachedTreeVersion()).isEqualTo(2);
      assertThat(event.getTreeAttached().getTreeVersion()).isEqualTo(3);
      assertThat(event.getTreeAttached().getMembersList()).extracting(MemberChanged::getLineageId)
          .containsExactly(b.getLineageId(), a.getLineageId(), member.getLineageId());
      assertThat(event.getTreeAttached().getMembersList()).extracting(MemberChanged::getOldVersion)
          .containsExactly(1L, 1L, 1L);
      assertThat(event.getTreeAttached().getMembersList()).extracting(MemberChanged::getEntity)
          .containsExactlyElementsOf(attached.getWrittenList());
      Event bare = next(ofB, Event.KindCase.TREE_ATTACHED);
      assertThat(bare.getSequence()).isEqualTo(event.getSequence());
      assertThat(bare.getTreeAttached().getMembersList()).as("no entities unless asked for")
          .allSatisfy(written -> assertThat(written.hasEntity()).isFalse())
          .extracting(MemberChanged::getNewVersion).containsExactly(2L, 2L, 2L);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Writers count on members of two trees while one tree is attached under the other, promoted out
   * and attached again, over and over: every write lands exactly once, and each tree's history
   * moves by exactly 1 per change except at an attachment, which moves it to what its answer said.
   * The writers pause a little after each write, or the mover (which needs both trees still for a
   * read and a call) would rarely get a turn; they go on until it moved the trees a few times.
   */
  @Test
  void attachmentsAndPromotionsUnderConcurrentMemberWritesLoseNothing() throws Exception {
    int writers = 4;
    int writesEach = 50;
    int movesWanted = 3;
    AtomicIntegerArray written = new AtomicIntegerArray(writers);
    Entity b = create("", 0);
    Entity a = create("", 0);
    List<String> counters = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      counters.add(create(i % 2 == 0 ? a.getLineageId() : b.getLineageId(), 0).getLineageId());
    }
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<ManagedChannel> channels = new ArrayList<>();
    AtomicInteger moves = new AtomicInteger();
    List<Long> attachedAt = new ArrayList<>();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String counter = counters.get(i);
        int writer = i;
        ManagedChannel channel = server.newChannel();
        channels.add(channel);
        EntityServiceGrpc.EntityServiceBlockingStub stub = EntityServiceGrpc.newBlockingStub(channel);
        running.add(pool.submit(() -> {
          long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
          while (written.get(writer) < writesEach || (moves.get() < movesWanted && System.nanoTime() < until)) {
            Entity current = stub.get(GetEntityRequest.newBuilder().setLineageId(counter).build());
            try {
              stub.update(UpdateEntityRequest.newBuilder().setLineageId(counter)
                  .setExpectedVersion(current.getVersion()).setData(count(value(current) + 1)).build());
              written.incrementAndGet(writer);
              Thread.sleep(ThreadLocalRandom.current().nextInt(1, 4));
            } catch (StatusRuntimeException e) {
              assertThat(info(e).getReason()).isIn("VERSION_CONFLICT", "GATE_HELD", "PREEMPTED");
            }
          }
          return null;
        }));
      }
      while (running.stream().anyMatch(future -> !future.isDone())) {
        try {
          long aVersion = tree(a, 0).getTreeVersion();
          long bVersion = tree(b, 0).getTreeVersion();
          attachedAt.add(attach(a, aVersion, b, bVersion).getTreeVersion());
          entities.promoteTreeMember(PromoteTreeMemberRequest.newBuilder().setLineageId(a.getLineageId())
              .setExpectedTreeVersion(tree(b, 0).getTreeVersion()).build());
          moves.incrementAndGet();
        } catch (StatusRuntimeException e) {
          assertThat(info(e).getReason()).isEqualTo("TREE_VERSION_CONFLICT");
          if (attachedAt.size() > moves.get()) { // attached, then lost the promotion's race: promote again
            promoteBack(a, b);
            moves.incrementAndGet();
          }
        }
      }
      for (Future<?> future : running) {
        future.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      for (ManagedChannel channel : channels) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    assertThat(moves.get()).as("the trees moved while members were written").isGreaterThanOrEqualTo(movesWanted);
    for (int i = 0; i < writers; i++) {
      Entity latest = entities.get(GetEntityRequest.newBuilder().setLineageId(counters.get(i)).build());
      assertThat(value(latest)).as("every write of counter %d kept", i).isEqualTo(written.get(i))
          .isGreaterThanOrEqualTo(writesEach);
      assertThat(latest.getRootLineageId()).isEqualTo(i % 2 == 0 ? a.getLineageId() : b.getLineageId());
    }
    assertThat(tree(a, 0).getMembersCount()).isEqualTo(1 + writers / 2);
    assertThat(tree(b, 0).getMembersCount()).isEqualTo(1 + writers / 2);
    // B's history: every version from 1 to its latest, but for the versions each attachment skipped.
    List<Long> versions = entities.treeHistory(TreeHistoryRequest.newBuilder().setRootLineageId(b.getLineageId())
        .setPageSize(1000).build()).getVersionsList().stream().map(TreeVersion::getTreeVersion).toList();
    long expected = 1;
    for (long version : versions) {
      if (version != expected) {
        assertThat(attachedAt).as("a jump from %d to %d", expected - 1, version).contains(version);
      }
      expected = version + 1;
    }
    assertThat(versions.get(versions.size() - 1)).isEqualTo(tree(b, 0).getTreeVersion());
  }

  private static void promoteBack(Entity a, Entity b) {
    while (true) {
      try {
        entities.promoteTreeMember(PromoteTreeMemberRequest.newBuilder().setLineageId(a.getLineageId())
            .setExpectedTreeVersion(tree(b, 0).getTreeVersion()).build());
        return;
      } catch (StatusRuntimeException e) {
        assertThat(info(e).getReason()).isEqualTo("TREE_VERSION_CONFLICT");
      }
    }
  }

  private static Event next(Iterator<Event> feed, Event.KindCase kind) {
    while (true) {
      Event event = feed.next();
      if (event.getKindCase() == kind) {
        return event;
      }
    }
  }

  private static AttachTreeRequest request(Entity attached, long treeVersion, Entity parent,
      long parentTreeVersion) {
    return AttachTreeRequest.newBuilder().setLineageId(attached.getLineageId()).setExpectedTreeVersion(treeVersion)
        .setParentLineageId(parent.getLineageId()).setExpectedParentTreeVersion(parentTreeVersion).build();
  }

  private static AttachTreeResponse attach(Entity attached, long treeVersion, Entity parent, long parentTreeVersion) {
    return entities.attachTree(request(attached, treeVersion, parent, parentTreeVersion));
  }

  private static GetTreeResponse tree(Entity root, long treeVersion) {
    return entities.getTree(GetTreeRequest.newBuilder().setRootLineageId(root.getLineageId())
        .setTreeVersion(treeVersion).build());
  }

  private static Entity create(String parentId, int value) {
    return entities.create(CreateEntityRequest.newBuilder().setParentLineageId(parentId).setEntityType("Counter")
        .setData(count(value)).build());
  }

  private static Entity update(Entity current, int value) {
    return entities.update(UpdateEntityRequest.newBuilder().setLineageId(current.getLineageId())
        .setExpectedVersion(current.getVersion()).setData(count(value)).build());
  }

  private static Struct count(long value) {
    return Struct.newBuilder().putFields("count", Value.newBuilder().setNumberValue(value).build()).build();
  }

  private static long value(Entity entity) {
    return (long) entity.getData().getFieldsOrThrow("count").getNumberValue();
  }
}
