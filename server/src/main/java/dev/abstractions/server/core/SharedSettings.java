package dev.abstractions.server.core;

/**
 * The settings every replica of a store must apply commands with alike, or their states would
 * part: how decisions are made ({@link Decider.Settings}) and how long the request ledger
 * remembers a request (a replay it remembers is answered, one it forgot runs again). A replicated
 * store keeps the group's in its state and changes them only by a {@link Command.Settle} in its
 * log, so every member, and every replay of the log, applies each command with the settings in
 * force when it was first applied, whatever flags the member runs with now.
 *
 * @param requestRetention the most requests the ledger holds
 * @param requestRetentionNanos how long (in command ticks) it holds one
 * @param requestLedgerBytes the most its entries may weigh
 */
public record SharedSettings(Decider.Settings decision, int requestRetention, long requestRetentionNanos,
    long requestLedgerBytes) {}
