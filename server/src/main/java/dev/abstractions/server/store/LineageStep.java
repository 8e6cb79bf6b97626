package dev.abstractions.server.store;

/** Work done as the one writer of a lineage; see {@link EntityStore#atomically}. */
@FunctionalInterface
public interface LineageStep<R> {

  R apply(LineageTx tx);
}
