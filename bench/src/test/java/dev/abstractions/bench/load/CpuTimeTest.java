package dev.abstractions.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CpuTimeTest {

  @Test
  void userAndSystemTicksAreFields14And15OfProcStat() {
    String stat = "4242 (java) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 30 0 12345 0 0";

    assertThat(CpuTime.parseStat(stat)).isEqualTo(325);
    assertThat(CpuTime.ticksToNanos(325)).isEqualTo(3_250_000_000L);
  }

  @Test
  void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
    String stat = "77 (my (odd) server) R 1 77 77 0 -1 0 0 0 0 0 9 1 0 0 20 0 1 0 1 0 0";

    assertThat(CpuTime.parseStat(stat)).isEqualTo(10);
  }

  @Test
  void somethingElseIsRefused() {
    assertThatThrownBy(() -> CpuTime.parseStat("no parenthesis here")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CpuTime.parseStat("1 (x) S 1 2")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void coresAreCpuTimeOverWallTime() {
    assertThat(CpuTime.cores(3_000_000_000L, 2_000_000_000L)).isEqualTo(1.5);
    assertThat(CpuTime.cores(-1, 2_000_000_000L)).isNaN();
  }

  @Test
  void thisProcessHasUsedSomeCpu() {
    assertThat(CpuTime.ownNanos()).isPositive();
    assertThat(CpuTime.processNanos(ProcessHandle.current().pid())).isPositive();
    assertThat(CpuTime.processNanos(Long.MAX_VALUE)).isEqualTo(-1);
  }

  @Test
  void aGroupsCpuIsItsMembersSummedAndUnknownIfOneIsGone() {
    long self = ProcessHandle.current().pid();

    assertThat(CpuTime.processesNanos(new long[] {self, self})).isGreaterThanOrEqualTo(CpuTime.processNanos(self));
    assertThat(CpuTime.processesNanos(new long[] {self, Long.MAX_VALUE})).isEqualTo(-1);
    assertThat(CpuTime.processesNanos(new long[0])).isEqualTo(-1);
  }
}
