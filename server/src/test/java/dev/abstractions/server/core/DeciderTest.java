package dev.abstractions.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.RejectionReason;
import dev.abstractions.server.ops.functions.ServerFunction;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Decisions whose inputs a test must pin exactly: time that runs apart, functions that break. */
class DeciderTest {

  private static final long SECOND = 1_000_000_000L;
  private static final String TARGET = "target";

  /** A function with a bug: it throws what no function should. */
  private static final ServerFunction BROKEN = new ServerFunction() {
    @Override
    public String name() {
      return "broken";
    }

    @Override
    public void checkArguments(Struct args) {}

    @Override
    public Struct apply(Struct current, Struct args) {
      throw new IllegalStateException("bug");
    }
  };

  private final Decider decider =
      new Decider(Map.of("broken", BROKEN), new Decider.Settings(1024, 10, 10, 5 * SECOND, Decider.TreeLimits.NONE));

  private TargetState created() {
    return decider.decide(TargetState.ABSENT,
        new Command.Create(TARGET, "", "T", StructBytes.of(Struct.getDefaultInstance()), "ecs-1", new Time(0, 100 * SECOND))).state();
  }

  private static Command.NewOperation operation(String id, long ttlNanos) {
    return new Command.NewOperation(id, "", PriorityClass.NORMAL, 5, 5, "", 5, 1, ttlNanos, 1, Actor.SERVER);
  }

  @Test
  void anOperationExpiresAtItsDeadlineOnTheTickEvenWhenTheWallClockStepsBack() {
    Decision begun = decider.decide(created(),
        new Command.Begin(TARGET, operation("op", 10 * SECOND), 0, new Time(1 * SECOND, 100 * SECOND)));
    assertThat(begun.reply()).isInstanceOf(Reply.Started.class);

    // 10 s later on the tick, while the wall clock was set back an hour.
    Decision expired = decider.decide(begun.state(),
        new Command.Expire(TARGET, new Time(11 * SECOND, 100 * SECOND - 3_600 * SECOND)));

    assertThat(expired.changed()).singleElement().satisfies(op -> {
      assertThat(op.status()).isEqualTo(OperationStatus.REJECTED);
      assertThat(op.view().getRejectionReason()).isEqualTo(RejectionReason.EXPIRED);
    });
    assertThat(expired.state().arbitration().isEmpty()).isTrue();
  }

  @Test
  void anOperationIsNotExpiredBeforeItsDeadlineOnTheTickEvenWhenTheWallClockJumpsAhead() {
    Decision begun = decider.decide(created(),
        new Command.Begin(TARGET, operation("op", 10 * SECOND), 0, new Time(1 * SECOND, 100 * SECOND)));

    Decision early = decider.decide(begun.state(),
        new Command.Expire(TARGET, new Time(10 * SECOND, 100 * SECOND + 3_600 * SECOND)));

    assertThat(early.changed()).isEmpty();
    assertThat(early.state().arbitration().find("op").status()).isEqualTo(OperationStatus.PENDING);
  }

  @Test
  void anExecuteWhoseFunctionThrowsOnItsFirstAttemptFailsAndLeavesNothingInFlight() {
    Decision decision = decider.decide(created(), new Command.Execute(TARGET, operation("op", 60 * SECOND), "broken",
        Struct.getDefaultInstance(), "", "ecs-2", 0.5, new Time(1 * SECOND, 101 * SECOND)));

    Reply.Attempted attempted = (Reply.Attempted) decision.reply();
    assertThat(attempted.outcome()).isEqualTo(CommitOutcome.OUTCOME_FAILED);
    assertThat(attempted.op().status()).isEqualTo(OperationStatus.FAILED);
    assertThat(attempted.op().view().getFailureMessage()).isEqualTo("the function failed: java.lang.IllegalStateException: bug");
    assertThat(decision.written()).isEmpty();
    assertThat(decision.state().arbitration().isEmpty()).isTrue();
    assertThat(decision.events()).extracting(event -> event.body().kind().name())
        .containsExactly("OPERATION_STARTED", "OPERATION_FAILED");
  }

  @Test
  void theSameStateAndCommandGiveTheSameDecision() {
    TargetState state = created();
    Command begin = new Command.Begin(TARGET, operation("op", 10 * SECOND), 0, new Time(SECOND, 101 * SECOND));
    Decision first = decider.decide(state, begin);
    Decision second = decider.decide(state, begin);
    assertThat(second.state().arbitration().inFlight()).isEqualTo(first.state().arbitration().inFlight());
    assertThat(second.events()).isEqualTo(first.events());
    assertThat(second.changed()).isEqualTo(first.changed());
    assertThat(state.arbitration().isEmpty()).as("the input is not changed").isTrue();
  }
}
