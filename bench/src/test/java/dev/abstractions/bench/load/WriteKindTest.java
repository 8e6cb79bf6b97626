package dev.abstractions.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WriteKindTest {

  @Test
  void onlyTheWindowsCommitsAndConflictsCountButTheCheckSeesEveryCommit() {
    WriteKind kind = new WriteKind();
    kind.conflicted();
    kind.committed(System.nanoTime()); // warm-up

    kind.start();
    kind.conflicted();
    kind.conflicted();
    kind.conflicted();
    kind.committed(System.nanoTime());
    kind.committed(System.nanoTime());
    kind.stop();

    kind.conflicted();
    kind.committed(System.nanoTime()); // drain

    assertThat(kind.commits()).isEqualTo(4);
    assertThat(kind.commitsInWindow()).isEqualTo(2);
    assertThat(kind.conflictsInWindow()).isEqualTo(3);
    assertThat(kind.conflictsPerCommit()).isEqualTo(1.5);
    assertThat(kind.latencyNanos().getTotalCount()).isEqualTo(2);
  }

  @Test
  void aKindWithoutCommitsInTheWindowHasNoConflictRatio() {
    WriteKind kind = new WriteKind();
    kind.start();
    kind.conflicted();
    kind.stop();

    assertThat(kind.conflictsPerCommit()).isNaN();
    assertThat(kind.row("t2-tree", "tree writes", new MeasuredWindow.Cpu(2_000_000_000L, 1, 1), "").latency())
        .isEqualTo(LatencySummary.EMPTY);
  }

  @Test
  void aKindsRowIsItsCommitsPerSecondWithTheServersCpuUnknown() {
    WriteKind kind = new WriteKind();
    kind.start();
    for (int i = 0; i < 10; i++) {
      kind.committed(System.nanoTime() - 1_000_000);
    }
    kind.stop();

    ResultRow row = kind.row("t2-tree", "tree writes", new MeasuredWindow.Cpu(2_000_000_000L, 1, 1), "n");

    assertThat(row.throughput()).isEqualTo(5.0);
    assertThat(row.latency().count()).isEqualTo(10);
    assertThat(row.latency().p50Micros()).isGreaterThanOrEqualTo(1_000);
    assertThat(row.serverCores()).isNaN();
    assertThat(row.serverMicrosPerOp()).isNaN();
  }
}
