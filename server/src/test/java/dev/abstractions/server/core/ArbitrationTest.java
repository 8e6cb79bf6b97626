package dev.abstractions.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import org.junit.jupiter.api.Test;

/** The gate's queue and the pace at which waiters' turns come, on ticks the test chooses. */
class ArbitrationTest {

  private static final long MILLIS = 1_000_000L;

  @Test
  void aWaitersTurnIsUnknownUntilAnOwnerHasLetGoThenOneTenurePerOperationAhead() {
    Arbitration.Builder arbitration = Arbitration.NONE.toBuilder();
    OpState first = normal(1);
    OpState second = normal(2);
    OpState third = normal(3);
    OpState fourth = normal(4);
    long tick = 1_000 * MILLIS;
    for (OpState op : new OpState[] {first, second, third, fourth}) {
      arbitration.put(op.retryingAt(1, true), 1, tick);
    }
    assertThat(arbitration.owner().id()).isEqualTo(first.id());
    assertThat(arbitration.turnInNanos(second, tick)).as("no owner has let go yet").isZero();

    tick += 50 * MILLIS;
    arbitration.remove(first, 2, tick);

    assertThat(arbitration.owner().id()).isEqualTo(second.id());
    assertThat(arbitration.turnInNanos(second, tick)).as("the owner itself").isZero();
    assertThat(arbitration.turnInNanos(third, tick)).as("the owner's whole expected tenure").isEqualTo(50 * MILLIS);
    assertThat(arbitration.turnInNanos(fourth, tick)).as("one tenure more").isEqualTo(100 * MILLIS);
    assertThat(arbitration.turnInNanos(fourth, tick + 20 * MILLIS)).isEqualTo(80 * MILLIS);
  }

  @Test
  void aGateWaitLastsFromTheExpectedTurnToAQuarterMoreWithinTheClassCap() {
    for (double jitter = 0; jitter < 1; jitter += 0.001) {
      assertThat(RetryPolicy.gateWaitNanos(PriorityClass.NORMAL, 3, 8 * MILLIS, jitter))
          .isBetween(8 * MILLIS, 10 * MILLIS);
      assertThat(RetryPolicy.gateWaitNanos(PriorityClass.NORMAL, 3, 400 * MILLIS, jitter)).isEqualTo(100 * MILLIS);
      assertThat(RetryPolicy.gateWaitNanos(PriorityClass.NORMAL, 2, 0, jitter)).isBetween(5 * MILLIS, 15 * MILLIS);
    }
  }

  private static OpState normal(long createdAtNs) {
    return new OpState(OperationEntity.newBuilder()
        .setOpId("op-" + createdAtNs)
        .setTargetLineageId("target")
        .setPriorityClass(PriorityClass.NORMAL)
        .setPriority(5)
        .setEffectivePriority(5)
        .setCreatedAtNs(createdAtNs)
        .setStatus(OperationStatus.PENDING)
        .build(), 1, Long.MAX_VALUE, Long.MAX_VALUE, Actor.SERVER);
  }
}
