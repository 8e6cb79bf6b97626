package dev.abstractions.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.GetTreeResponse;
import dev.abstractions.api.v1.TreeChange;
import java.util.List;
import org.junit.jupiter.api.Test;

class TreeScenariosTest {

  private static GetTreeResponse tree(long treeVersion, String... membersAndCounts) {
    GetTreeResponse.Builder tree = GetTreeResponse.newBuilder().setRootLineageId("root").setTreeVersion(treeVersion);
    for (int i = 0; i < membersAndCounts.length; i += 2) {
      tree.addMembers(Entity.newBuilder().setLineageId(membersAndCounts[i])
          .setData(EntityData.withCount(Double.parseDouble(membersAndCounts[i + 1]))));
    }
    return tree.build();
  }

  @Test
  void aTreeWriteOfT1UpdatesEveryMemberInOrderUncheckedWithTheSameData() {
    List<TreeChange> updates = TreeWrites.updates(List.of("root", "m1", "m2"), EntityData.withCount(0));

    assertThat(updates).extracting(c -> c.getUpdate().getLineageId()).containsExactly("root", "m1", "m2");
    assertThat(updates).allSatisfy(c -> {
      assertThat(c.getUpdate().getExpectedVersion()).isZero();
      assertThat(c.getUpdate().getData()).isEqualTo(EntityData.withCount(0));
      assertThat(c.getUpdate().getData().getSerializedSize()).isEqualTo(EntityData.BYTES);
    });
  }

  @Test
  void anIncrementWritesTheMembersCountInTheTreeReadPlusOne() {
    GetTreeResponse read = tree(7, "a", "41", "b", "3");

    TreeChange change = TreeScenarios.increment("a", read);

    assertThat(change.getUpdate().getLineageId()).isEqualTo("a");
    assertThat(change.getUpdate().getExpectedVersion()).as("the tree version checks it").isZero();
    assertThat(EntityData.count(Entity.newBuilder().setData(change.getUpdate().getData()).build())).isEqualTo(42);
  }

  @Test
  void aMemberMissingFromTheTreeReadIsAnError() {
    assertThatThrownBy(() -> TreeScenarios.count(tree(7, "a", "1"), "c"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("member c is not in tree root at 7");
  }

  @Test
  void theHotTreeCheckNamesAMismatch() {
    assertThat(TreeScenarios.counterCheck(5, 5, 7, 5, 7))
        .isEqualTo("counters A = 5, B = 5, C = 7 for 5 tree writes and 7 member writes acknowledged");
    assertThat(TreeScenarios.counterCheck(5, 4, 7, 5, 7)).startsWith("COUNTER MISMATCH: A = 5, B = 4");
    assertThat(TreeScenarios.counterCheck(5, 5, 6, 5, 7)).startsWith("COUNTER MISMATCH");
  }

  @Test
  void theMixedPriorityTreeCheckWantsBothMembersToCountEveryCommittedWrite() {
    assertThat(TreePriorityScenarios.pairCheck(12, 12, 12)).isEqualTo("counters A = 12, B = 12 for 12 writes committed");
    assertThat(TreePriorityScenarios.pairCheck(12, 11, 12)).startsWith("COUNTER MISMATCH");
  }

  @Test
  void oneHotTreeHasDsClassMixOfOneStructuralFiveNormalAndFourLow() {
    StringBuilder classes = new StringBuilder();
    for (int w = 0; w < TreePriorityScenarios.WRITERS; w++) {
      classes.append(PriorityScenarios.classOf(w, 1).name().charAt(0));
    }

    assertThat(classes.toString()).isEqualTo("SNNNNNLLLL");
    assertThat(PriorityScenarios.classOf(8, PriorityScenarios.ENTITIES)).isEqualTo(PriorityScenarios.classOf(8));
  }

  @Test
  void aRunsFirstErrorIsNamedByItsStatus() {
    assertThat(ClosedLoop.Result.firstErrorNote(null)).isEmpty();
    assertThat(ClosedLoop.Result.firstErrorNote(io.grpc.Status.RESOURCE_EXHAUSTED
        .withDescription("the server's memory budget is spent").asRuntimeException()))
        .isEqualTo("first error: RESOURCE_EXHAUSTED: the server's memory budget is spent");
    assertThat(ClosedLoop.Result.firstErrorNote(new IllegalStateException("Commit answered OUTCOME_FAILED")))
        .isEqualTo("first error: java.lang.IllegalStateException: Commit answered OUTCOME_FAILED");
    assertThat(ClosedLoop.Result.firstErrorNote(io.grpc.Status.INTERNAL.withDescription("x".repeat(300))
        .asRuntimeException())).hasSize("first error: ".length() + 200 + 1).endsWith("x…");
  }

  @Test
  void notesAreJoinedWithoutTheEmptyOnes() {
    assertThat(TreeScenarios.join("a", "", "b")).isEqualTo("a; b");
    assertThat(TreeScenarios.join("", "")).isEmpty();
  }

  @Test
  void aTreeWritesRowNotesItsRateAndServerCpuPerMember() {
    ResultRow row = new ResultRow("t1", "(t1)", 5_000, LatencySummary.EMPTY, 0.3, 0.8, 0, "", "");

    assertThat(TreeScenarios.perMemberNote(row))
        .isEqualTo("10 member writes per call: 50,000 member writes/s, 16.0 µs server CPU per member write");
  }

  @Test
  void theHeadingNamesWhatWasAddedToTheEntityServersCommand() {
    assertThat(Matrix.serverExtras(List.of(), List.of())).isEmpty();
    assertThat(Matrix.serverExtras(List.of("-XX:+PreserveFramePointer"), List.of("--event-retention=10000")))
        .isEqualTo(", entity server JVM flags added: -XX:+PreserveFramePointer, entity server arguments added: "
            + "--event-retention=10000");
  }
}
