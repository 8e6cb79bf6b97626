package dev.abstractions.server.events;

import static dev.abstractions.server.events.EventStreams.count;
import static dev.abstractions.server.events.EventStreams.createCounter;
import static dev.abstractions.server.events.EventStreams.fromSequence;
import static dev.abstractions.server.events.EventStreams.resumingAfter;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.AbortOperationRequest;
import dev.abstractions.api.v1.AttachTreeRequest;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.CommitOperationRequest;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.DeleteEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventFilter;
import dev.abstractions.api.v1.EventKind;
import dev.abstractions.api.v1.PromoteTreeMemberRequest;
import dev.abstractions.api.v1.TreeChange;
import dev.abstractions.api.v1.UpdateMember;
import dev.abstractions.api.v1.WriteTreeRequest;
import dev.abstractions.api.v1.ExecuteRequest;
import dev.abstractions.api.v1.ExecuteResponse;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.GetOperationRequest;
import dev.abstractions.api.v1.MemberChanged;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.TestServer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A filtered stream is exactly the matching subsequence of the unfiltered stream from the same
 * start, for every filter criterion, and Progress bookmarks keep a filtered stream's position
 * current.
 */
class EventFilterTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static TestServer server;
  private static EntityServiceGrpc.EntityServiceBlockingStub entities;
  private static OperationServiceGrpc.OperationServiceBlockingStub operations;
  /** Every event of the scenario, from an unfiltered stream. */
  private static List<Event> all;
  private static long head;
  private static String student1;
  private static String student2;
  private static String course2;
  private static String structuralOp;
  private static String executedOp;
  private static String member;

  /**
   * Writes events of every kind, about two types, several entities and operations of priorities
   * 2, 5, 8 and 10.
   */
  @BeforeAll
  static void writeOneOfEverything() throws Exception {
    server = TestServer.start("--progress-interval", "PT0.1S");
    entities = EntityServiceGrpc.newBlockingStub(server.channel());
    operations = OperationServiceGrpc.newBlockingStub(server.channel());

    student1 = createCounter(server.channel(), "Student").getLineageId();
    student2 = createCounter(server.channel(), "Student").getLineageId();
    String course1 = createCounter(server.channel(), "Course").getLineageId();
    course2 = createCounter(server.channel(), "Course").getLineageId();
    entities.update(UpdateEntityRequest.newBuilder().setLineageId(student1).setExpectedVersion(1).setData(count(1)).build());
    entities.update(UpdateEntityRequest.newBuilder().setLineageId(course1).setExpectedVersion(1).setData(count(1)).build());
    entities.delete(DeleteEntityRequest.newBuilder().setLineageId(course2).setExpectedVersion(1).build());

    // On student2: a low op wins, a structural op conflicts, a NORMAL 8 yields to it, the
    // structural op commits, and the NORMAL 8, whose client then goes silent, expires (REJECTED).
    String low = begin(student2, PriorityClass.LOW, 2);
    String normal8 = operations.begin(BeginOperationRequest.newBuilder().setTargetLineageId(student2)
        .setPriorityClass(PriorityClass.NORMAL).setPriority(8)
        .setTtl(com.google.protobuf.Duration.newBuilder().setNanos(500_000_000)).build()).getOperation().getOpId();
    structuralOp = begin(student2, PriorityClass.STRUCTURAL, 10);
    assertThat(commit(low)).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
    assertThat(commit(structuralOp)).isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
    assertThat(commit(normal8)).isEqualTo(CommitOutcome.OUTCOME_CONFLICT);
    assertThat(commit(structuralOp)).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
    long expiresBy = System.nanoTime() + WAIT.toNanos();
    while (operations.get(GetOperationRequest.newBuilder().setOpId(normal8).build()).getStatus()
        != OperationStatus.REJECTED) {
      assertThat(System.nanoTime()).as("the silent operation expires").isLessThan(expiresBy);
      Thread.sleep(50);
    }

    // On course1: a server-side function that succeeds, and one that fails.
    ExecuteResponse executed = operations.execute(execute(course1, "count"));
    assertThat(executed.getOutcome()).isEqualTo(CommitOutcome.OUTCOME_COMMITTED);
    executedOp = executed.getOperation().getOpId();
    assertThat(operations.execute(execute(course1, "count.inner")).getOutcome()).isEqualTo(CommitOutcome.OUTCOME_FAILED);

    // On student1: an operation its client aborts; then it gets a member, a tree write changes both, the
    // member is promoted to a tree of its own, and that tree is attached under course1.
    operations.abort(AbortOperationRequest.newBuilder().setOpId(begin(student1, PriorityClass.NORMAL, 5)).build());
    member = entities.create(CreateEntityRequest.newBuilder().setParentLineageId(student1).setEntityType("Grade")
        .setData(count(0)).build()).getLineageId();
    entities.writeTree(WriteTreeRequest.newBuilder().setRootLineageId(student1).setExpectedTreeVersion(3)
        .addChanges(TreeChange.newBuilder().setUpdate(UpdateMember.newBuilder().setLineageId(student1)
            .setData(count(2))))
        .addChanges(TreeChange.newBuilder().setUpdate(UpdateMember.newBuilder().setLineageId(member)
            .setData(count(1))))
        .build());
    entities.promoteTreeMember(PromoteTreeMemberRequest.newBuilder().setLineageId(member).setExpectedTreeVersion(4)
        .build());
    entities.attachTree(AttachTreeRequest.newBuilder().setLineageId(member).setExpectedTreeVersion(5)
        .setParentLineageId(course1).setExpectedParentTreeVersion(3).build());

    head = server.injector().getInstance(EventLog.class).lastSequence();
    EventStreams.Recorder unfiltered = EventStreams.subscribe(server.channel(), fromSequence(1)).awaitCount(head, WAIT);
    all = unfiltered.events();
    unfiltered.cancel();
    assertThat(all).extracting(Event::getKindCase).containsAll(EnumSet.complementOf(
        EnumSet.of(Event.KindCase.PROGRESS, Event.KindCase.KIND_NOT_SET)));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void aKindsFilterPassesExactlyTheEventsOfThoseKinds() {
    Set<Event.KindCase> kinds =
        EnumSet.of(Event.KindCase.ENTITY_CREATED, Event.KindCase.ENTITY_DELETED, Event.KindCase.OPERATION_REJECTED);
    assertFilteredStream(
        EventFilter.newBuilder()
            .addKinds(EventKind.EVENT_ENTITY_CREATED)
            .addKinds(EventKind.EVENT_ENTITY_DELETED)
            .addKinds(EventKind.EVENT_OPERATION_REJECTED)
            .build(),
        event -> kinds.contains(event.getKindCase()));
  }

  @Test
  void aLineageFilterPassesExactlyTheEventsAboutThoseEntitiesInEitherCase() {
    assertFilteredStream(
        EventFilter.newBuilder().addLineageIds(student2.toUpperCase(Locale.ROOT)).addLineageIds(course2).build(),
        event -> Set.of(student2, course2).contains(event.getTargetLineageId()));
  }

  @Test
  void aLineageFilterPassesTheTreeWritesThatWroteThatEntity() {
    assertFilteredStream(
        EventFilter.newBuilder().addLineageIds(member).build(),
        event -> event.getTargetLineageId().equals(member) || event.getTreeChanged().getMembersList().stream()
            .anyMatch(written -> written.getLineageId().equals(member)));
  }

  @Test
  void aRootFilterPassesExactlyTheEventsAboutThatTreesMembersAndOperations() {
    assertFilteredStream(
        EventFilter.newBuilder().addRootLineageIds(student1.toUpperCase(Locale.ROOT)).build(),
        event -> event.getRootLineageId().equals(student1));
    assertThat(all).filteredOn(event -> event.getRootLineageId().equals(student1))
        .extracting(Event::getTargetLineageId).contains(member, student1);
  }

  @Test
  void aRootFilterAlsoPassesThePromotionThatMadeThatTreeAndTheAttachmentThatEndedIt() {
    assertFilteredStream(
        EventFilter.newBuilder().addRootLineageIds(member).build(),
        event -> event.getRootLineageId().equals(member) || (event.getTargetLineageId().equals(member)
            && (event.hasTreePromoted() || event.hasTreeAttached())));
    assertThat(all).filteredOn(event -> event.getTargetLineageId().equals(member))
        .extracting(Event::getKindCase).containsSubsequence(Event.KindCase.TREE_PROMOTED, Event.KindCase.TREE_ATTACHED);
  }

  @Test
  void anEntityTypeFilterPassesExactlyTheEventsAboutEntitiesOfThatType() {
    assertFilteredStream(
        EventFilter.newBuilder().addEntityTypes("Course").build(),
        event -> event.getEntityType().equals("Course"));
  }

  @Test
  void anOperationFilterPassesExactlyTheEventsAboutThoseOperations() {
    assertFilteredStream(
        EventFilter.newBuilder().addOpIds(structuralOp.toUpperCase(Locale.ROOT)).addOpIds(executedOp).build(),
        event -> Set.of(structuralOp, executedOp).contains(event.getOpId()));
  }

  @Test
  void aMinimumPriorityFilterPassesExactlyTheEventsOfThatPriorityOrHigher() {
    assertFilteredStream(EventFilter.newBuilder().setMinPriority(8).build(), event -> event.getPriority() >= 8);
  }

  @Test
  void aFilterOfSeveralCriteriaPassesOnlyEventsMatchingEveryOne() {
    assertFilteredStream(
        EventFilter.newBuilder()
            .addEntityTypes("Student")
            .setMinPriority(5)
            .addKinds(EventKind.EVENT_OPERATION_STARTED)
            .addKinds(EventKind.EVENT_ENTITY_VERSIONED)
            .build(),
        event -> event.getEntityType().equals("Student") && event.getPriority() >= 5
            && (event.hasOperationStarted() || event.hasEntityVersioned()));
  }

  @Test
  void versionedAndTreeEventsCarryTheNewEntitiesOnlyWhenAskedFor() {
    EventStreams.Recorder withEntities = EventStreams.subscribe(server.channel(),
        SubscribeRequest.newBuilder().setFromSequence(1).setIncludeEntities(true).build()).awaitCount(head, WAIT);
    List<Event> events = withEntities.events();
    withEntities.cancel();
    for (int i = 0; i < events.size(); i++) {
      Event event = events.get(i);
      if (event.hasEntityVersioned()) {
        Entity entity = event.getEntityVersioned().getEntity();
        assertThat(entity).isEqualTo(entities.get(GetEntityRequest.newBuilder()
            .setLineageId(event.getTargetLineageId()).setVersion(event.getEntityVersioned().getNewVersion()).build()));
        assertThat(all.get(i).getEntityVersioned().hasEntity()).isFalse();
        Event stripped = event.toBuilder()
            .setEntityVersioned(event.getEntityVersioned().toBuilder().clearEntity()).build();
        assertThat(all.get(i)).isEqualTo(stripped);
      } else if (event.hasTreeChanged() || event.hasTreePromoted() || event.hasTreeAttached()) {
        assertThat(members(event)).allSatisfy(member -> assertThat(member.hasEntity()).isTrue());
        assertThat(members(all.get(i))).allSatisfy(member -> assertThat(member.hasEntity()).isFalse());
        Event.Builder stripped = event.toBuilder();
        List<MemberChanged.Builder> strippedMembers = event.hasTreeChanged()
            ? stripped.getTreeChangedBuilder().getMembersBuilderList()
            : event.hasTreePromoted() ? stripped.getTreePromotedBuilder().getMembersBuilderList()
            : stripped.getTreeAttachedBuilder().getMembersBuilderList();
        strippedMembers.forEach(MemberChanged.Builder::clearEntity);
        assertThat(all.get(i)).isEqualTo(stripped.build());
      } else {
        assertThat(all.get(i)).isEqualTo(event);
      }
    }
    assertThat(events).filteredOn(Event::hasEntityVersioned).isNotEmpty();
    assertThat(events).filteredOn(Event::hasTreeAttached).hasSize(1);
  }

  private static List<MemberChanged> members(Event event) {
    return event.hasTreeChanged() ? event.getTreeChanged().getMembersList()
        : event.hasTreePromoted() ? event.getTreePromoted().getMembersList()
        : event.getTreeAttached().getMembersList();
  }

  @Test
  void bookmarksCarryAFilteredIdleStreamToTheHeadAndResumeFromThere() throws Exception {
    try (TestServer quiet = TestServer.start("--progress-interval", "PT0.1S")) {
      EntityServiceGrpc.EntityServiceBlockingStub stub = EntityServiceGrpc.newBlockingStub(quiet.channel());
      String id = createCounter(quiet.channel(), "Counter").getLineageId();
      for (int version = 1; version <= 50; version++) {
        stub.update(UpdateEntityRequest.newBuilder().setLineageId(id).setExpectedVersion(version).setData(count(version)).build());
      }
      EventStreams.Recorder unfiltered = EventStreams.subscribe(quiet.channel(), fromSequence(1)).awaitCount(51, WAIT);
      List<Event> written = unfiltered.events();
      unfiltered.cancel();

      EventStreams.Recorder nothing = EventStreams.subscribe(quiet.channel(),
          fromSequence(1, EventFilter.newBuilder().addEntityTypes("NoSuchType").build()));
      nothing.awaitPosition(51, WAIT);
      assertThat(nothing.events()).isEmpty();
      List<Event> bookmarks = nothing.bookmarks();
      assertThat(bookmarks).isNotEmpty().allSatisfy(bookmark -> {
        assertThat(bookmark.getSequence()).isZero();
        assertThat(bookmark.getPriority()).isZero();
        assertThat(bookmark.getTargetLineageId()).isEmpty();
        assertThat(bookmark.getResumeToken())
            .isEqualTo(written.get((int) bookmark.getProgress().getHeadSequence() - 1).getResumeToken());
      });
      // Never backwards; repeated while the stream idles at the head.
      assertThat(bookmarks).extracting(bookmark -> bookmark.getProgress().getHeadSequence()).isSorted();
      Event last = bookmarks.get(bookmarks.size() - 1);
      assertThat(last.getProgress().getHeadSequence()).isEqualTo(51);

      // While the filtered stream idles, the log moves on; its bookmark follows.
      stub.update(UpdateEntityRequest.newBuilder().setLineageId(id).setExpectedVersion(51).setData(count(51)).build());
      nothing.awaitPosition(52, WAIT);
      assertThat(nothing.events()).isEmpty();
      nothing.cancel();

      EventStreams.Recorder resumed = EventStreams.subscribe(quiet.channel(), resumingAfter(last.getResumeToken()));
      Entity created = stub.create(CreateEntityRequest.newBuilder().setEntityType("Later").build());
      resumed.awaitCount(2, WAIT);
      assertThat(resumed.events()).extracting(Event::getSequence).containsExactly(52L, 53L);
      assertThat(resumed.events().get(1).getEntityCreated().getEntity()).isEqualTo(created);
      resumed.cancel();
    }
  }

  private static void assertFilteredStream(EventFilter filter, Predicate<Event> matching) {
    List<Event> expected = all.stream().filter(matching).toList();
    assertThat(expected).as("the filter matches some but not all events").isNotEmpty().hasSizeLessThan(all.size());
    EventStreams.Recorder filtered = EventStreams.subscribe(server.channel(), fromSequence(1, filter));
    filtered.awaitPosition(head, WAIT);
    assertThat(filtered.events()).isEqualTo(expected);
    filtered.cancel();
  }

  private static String begin(String target, PriorityClass priorityClass, int priority) {
    return operations.begin(BeginOperationRequest.newBuilder()
        .setTargetLineageId(target).setPriorityClass(priorityClass).setPriority(priority).build())
        .getOperation().getOpId();
  }

  private static CommitOutcome commit(String opId) {
    return operations.commit(CommitOperationRequest.newBuilder().setOpId(opId).setData(count(7)).build()).getOutcome();
  }

  private static ExecuteRequest execute(String target, String path) {
    return ExecuteRequest.newBuilder()
        .setTargetLineageId(target)
        .setFunction("increment")
        .setArgs(Struct.newBuilder().putFields("path", Value.newBuilder().setStringValue(path).build()))
        .build();
  }
}
