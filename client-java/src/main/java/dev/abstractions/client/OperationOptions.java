package dev.abstractions.client;

import com.google.protobuf.Struct;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.ExecuteRequest;
import dev.abstractions.api.v1.PriorityClass;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How to run an operation: its priority class and, optionally, an explicit priority, retry budget,
 * type name, parent operation and time to live. Zero or empty values leave the server's default
 * (the class's priority and budget, a 30 s TTL); the server checks the bounds. Immutable and
 * thread-safe.
 */
public final class OperationOptions {

  private final PriorityClass priorityClass;
  private final OptionalInt priority;
  private final OptionalInt maxRetries;
  private final String opType;
  private final String parentOpId;
  private final Duration ttl;

  private OperationOptions(Builder builder) {
    this.priorityClass = builder.priorityClass;
    this.priority = builder.priority;
    this.maxRetries = builder.maxRetries;
    this.opType = builder.opType;
    this.parentOpId = builder.parentOpId;
    this.ttl = builder.ttl;
  }

  /** The class's defaults. */
  public static OperationOptions of(PriorityClass priorityClass) {
    return builder(priorityClass).build();
  }

  public static Builder builder(PriorityClass priorityClass) {
    return new Builder(priorityClass);
  }

  public PriorityClass priorityClass() {
    return priorityClass;
  }

  /** The explicit priority; empty for the class default. */
  public OptionalInt priority() {
    return priority;
  }

  /** The explicit retry budget; empty for the class default. */
  public OptionalInt maxRetries() {
    return maxRetries;
  }

  public String opType() {
    return opType;
  }

  /** The parent operation's id, or "" for none. */
  public String parentOpId() {
    return parentOpId;
  }

  /** The time to live, or {@link Duration#ZERO} for the server default. */
  public Duration ttl() {
    return ttl;
  }

  BeginOperationRequest beginRequest(String lineageId) {
    BeginOperationRequest.Builder request = BeginOperationRequest.newBuilder()
        .setTargetLineageId(lineageId)
        .setPriorityClass(priorityClass)
        .setOpType(opType)
        .setParentOpId(parentOpId)
        .setTtl(protoTtl());
    priority.ifPresent(request::setPriority);
    maxRetries.ifPresent(request::setMaxRetries);
    return request.build();
  }

  ExecuteRequest executeRequest(String lineageId, String function, Struct args) {
    ExecuteRequest.Builder request = ExecuteRequest.newBuilder()
        .setTargetLineageId(lineageId)
        .setFunction(function)
        .setArgs(args)
        .setPriorityClass(priorityClass)
        .setOpType(opType)
        .setParentOpId(parentOpId)
        .setTtl(protoTtl());
    priority.ifPresent(request::setPriority);
    maxRetries.ifPresent(request::setMaxRetries);
    return request.build();
  }

  private com.google.protobuf.Duration protoTtl() {
    return com.google.protobuf.Duration.newBuilder().setSeconds(ttl.getSeconds()).setNanos(ttl.getNano()).build();
  }

  @Override
  public String toString() {
    return "OperationOptions{" + priorityClass + ", priority=" + priority + ", maxRetries=" + maxRetries
        + ", opType='" + opType + "', parentOpId='" + parentOpId + "', ttl=" + ttl + "}";
  }

  /** Builds {@link OperationOptions}. Not thread-safe. */
  public static final class Builder {

    private final PriorityClass priorityClass;
    private OptionalInt priority = OptionalInt.empty();
    private OptionalInt maxRetries = OptionalInt.empty();
    private String opType = "";
    private String parentOpId = "";
    private Duration ttl = Duration.ZERO;

    private Builder(PriorityClass priorityClass) {
      this.priorityClass = Objects.requireNonNull(priorityClass, "priorityClass");
    }

    /** 1..10 within the class's bound (unset: the class default). */
    public Builder priority(int priority) {
      this.priority = OptionalInt.of(priority);
      return this;
    }

    /** 0..100 (unset: the class default). */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = OptionalInt.of(maxRetries);
      return this;
    }

    /** Free text naming the kind of work, e.g. "enroll". */
    public Builder opType(String opType) {
      this.opType = Objects.requireNonNull(opType, "opType");
      return this;
    }

    /** The operation this one works for: it inherits that operation's priority if higher. */
    public Builder parentOpId(String parentOpId) {
      this.parentOpId = Objects.requireNonNull(parentOpId, "parentOpId");
      return this;
    }

    /** How long the operation may live before the server rejects it (EXPIRED); at most 1 h. */
    public Builder ttl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("ttl must not be negative, was " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    public OperationOptions build() {
      return new OperationOptions(this);
    }
  }
}
