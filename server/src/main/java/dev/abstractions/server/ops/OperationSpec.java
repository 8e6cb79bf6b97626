package dev.abstractions.server.ops;

import dev.abstractions.api.v1.PriorityClass;
import java.time.Duration;

/**
 * A checked request to begin an operation, with class defaults already applied: priority 1..10
 * within the class bound, maxRetries 1..100, a positive ttl.
 */
public record OperationSpec(String target, String opType, PriorityClass priorityClass, int priority,
    int maxRetries, String parentOpId, Duration ttl) {}
