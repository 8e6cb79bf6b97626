package dev.abstractions.server.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A write is refused only when the relievers can give nothing more. */
class MemoryBudgetReliefTest {

  @Test
  void aRelieverThatGivesLessThanAskedIsAskedAgainWhileItGives() {
    MemoryBudget budget = new MemoryBudget(1_000);
    budget.add(MemoryBudget.Account.EVENTS, 900);
    AtomicInteger asked = new AtomicInteger();
    // Frees half of what is asked, as a log whose oldest events are smaller than asked for would.
    budget.relieveWith(bytes -> {
      asked.incrementAndGet();
      long give = Math.min(budget.used(MemoryBudget.Account.EVENTS), Math.max(1, bytes / 2));
      budget.release(MemoryBudget.Account.EVENTS, give);
      return give;
    });

    assertThat(budget.admits(500)).isTrue();
    assertThat(budget.used()).isLessThanOrEqualTo(500);
    assertThat(asked.get()).isGreaterThan(1);
  }

  @Test
  void aWriteIsRefusedOnceNothingIsLeftToGive() {
    MemoryBudget budget = new MemoryBudget(1_000);
    budget.add(MemoryBudget.Account.VERSIONS, 800);
    budget.add(MemoryBudget.Account.EVENTS, 100);
    budget.relieveWith(bytes -> {
      long give = Math.min(budget.used(MemoryBudget.Account.EVENTS), bytes);
      budget.release(MemoryBudget.Account.EVENTS, give);
      return give;
    });

    assertThat(budget.admits(300)).isFalse();
    assertThat(budget.used(MemoryBudget.Account.EVENTS)).isZero();
    assertThat(budget.admits(200)).isTrue();
  }
}
