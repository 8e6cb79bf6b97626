package dev.abstractions.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gate's queue and the pace at which waiters' turns come. */
class TargetArbitrationTest {

  private static final long MILLIS = 1_000_000L;

  @Test
  void aWaitersTurnIsUnknownUntilAnOwnerHasLetGoThenOneTenurePerOperationAhead() throws Exception {
    TargetArbitration arbitration = new TargetArbitration();
    Operation first = normal(1);
    Operation second = normal(2);
    Operation third = normal(3);
    Operation fourth = normal(4);
    long held = System.nanoTime();
    for (Operation op : new Operation[] {first, second, third, fourth}) {
      arbitration.add(op);
      arbitration.retrying(op, 1);
    }
    assertThat(arbitration.owner()).isSameAs(first);
    assertThat(arbitration.turnInNanos(second)).as("no owner has let go yet").isZero();

    TimeUnit.MILLISECONDS.sleep(50);
    arbitration.remove(first, 2);
    held = System.nanoTime() - held;

    assertThat(arbitration.owner()).isSameAs(second);
    assertThat(arbitration.turnInNanos(second)).as("the owner itself").isZero();
    long next = arbitration.turnInNanos(third);
    long afterNext = arbitration.turnInNanos(fourth);
    assertThat(next).isBetween(1L, held);
    assertThat(afterNext - next).as("one tenure more").isBetween(49 * MILLIS, held);
  }

  @Test
  void aGateWaitLastsFromTheExpectedTurnToAQuarterMoreWithinTheClassCap() {
    for (int i = 0; i < 1000; i++) {
      assertThat(RetryPolicy.gateWaitNanos(PriorityClass.NORMAL, 3, 8 * MILLIS)).isBetween(8 * MILLIS, 10 * MILLIS);
      assertThat(RetryPolicy.gateWaitNanos(PriorityClass.NORMAL, 3, 400 * MILLIS)).isEqualTo(100 * MILLIS);
      assertThat(RetryPolicy.gateWaitNanos(PriorityClass.NORMAL, 2, 0)).isBetween(5 * MILLIS, 15 * MILLIS);
    }
  }

  private static Operation normal(long createdAtNs) {
    return new Operation(OperationEntity.newBuilder()
        .setOpId("op-" + createdAtNs)
        .setTargetLineageId("target")
        .setPriorityClass(PriorityClass.NORMAL)
        .setPriority(5)
        .setEffectivePriority(5)
        .setCreatedAtNs(createdAtNs)
        .setStatus(OperationStatus.PENDING)
        .build(), 1, Long.MAX_VALUE);
  }
}
