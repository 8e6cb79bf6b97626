package dev.abstractions.server.core;

/**
 * When a command happens, as two readings taken once by whoever issues it: {@code tickNanos} from
 * the monotonic {@link Ticker} (deadlines, expiry, gate tenure: everything that measures time) and
 * {@code wallNanos} from the wall clock (only for the timestamps users see: {@code modified_at},
 * {@code last_modified_ns}, event times). The decision function reads no clock of its own, so a
 * command replays to the same result. Immutable.
 */
public record Time(long tickNanos, long wallNanos) {}
