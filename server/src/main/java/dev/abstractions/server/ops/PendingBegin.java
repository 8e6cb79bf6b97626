package dev.abstractions.server.ops;

import dev.abstractions.api.v1.BeginOperationResponse;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * A Begin that arrived while a gate owner of at least its priority held the target: any snapshot
 * it took then would be overwritten by that owner's commit (DESIGN.md section 5.3 guarantees the
 * owner's commit), so it waits, unanswered and holding no thread, until the owner leaves or
 * {@code untilNanos} ({@link System#nanoTime()}; its class's longest backoff away) passes.
 * {@code awaited} says whether its caller still waits for the answer. Immutable; its answer is
 * completed once, unless nobody awaits it any more.
 */
record PendingBegin(OperationSpec spec, Arbiter.Ancestry ancestry, long untilNanos, BooleanSupplier awaited,
    CompletableFuture<Outcome<BeginOperationResponse>> answer) {

  int effectivePriority() {
    return ancestry.effectivePriority();
  }
}
