package dev.abstractions.server.operate;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.ErrorInfo;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityHistoryRequest;
import dev.abstractions.api.v1.EntityHistoryResponse;
import dev.abstractions.api.v1.EntityServiceGrpc.EntityServiceBlockingStub;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.operate.HistoryChecker.Call;
import dev.abstractions.server.operate.HistoryChecker.Kind;
import dev.abstractions.server.operate.HistoryChecker.Outcome;
import dev.abstractions.server.operate.HistoryChecker.Version;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One client of counter entities ({"n": counter, "w": the tag of the call that wrote it}) through
 * one member of a group: Creates, Gets and compare-and-set increments, each logged as a {@link
 * HistoryChecker.Call} with its start and end ({@link System#nanoTime}) into a shared queue. A
 * refusal is definite (a version conflict, ALREADY_EXISTS, NOT_FOUND, with the version it names);
 * any other failure is indefinite: the write may or may not have been applied. Counts the status
 * codes of indefinite calls into a shared map, and prints the first call of each code other than
 * UNAVAILABLE and DEADLINE_EXCEEDED. Used by one thread.
 */
final class CounterClient {

  private static final long DEADLINE_SECONDS = 10;

  private final String name;
  private final Supplier<EntityServiceBlockingStub> member;
  private final Queue<Call> log;
  private final Map<Status.Code, LongAdder> unanswered;
  private long calls;

  /**
   * A client named {@code name} (its tags start with it) calling the stub {@code member} returns
   * at each call (a restarted member has a new channel).
   */
  CounterClient(String name, Supplier<EntityServiceBlockingStub> member, Queue<Call> log,
      Map<Status.Code, LongAdder> unanswered) {
    this.name = name;
    this.member = member;
    this.log = log;
    this.unanswered = unanswered;
  }

  /** Creates {@code lineageId} with counter 0. */
  Call create(String lineageId) {
    String tag = nextTag();
    CreateEntityRequest request = CreateEntityRequest.newBuilder().setLineageId(lineageId).setEntityType("counter")
        .setData(data(0, tag)).build();
    long start = System.nanoTime();
    try {
      Entity created = member.get().withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).create(request);
      return logged(new Call(name, lineageId, Kind.CREATE, tag, 0, start, System.nanoTime(), Outcome.OK,
          version(created)));
    } catch (StatusRuntimeException e) {
      return logged(failed(lineageId, Kind.CREATE, tag, 0, start, e));
    }
  }

  /** Reads the latest version of {@code lineageId}. */
  Call get(String lineageId) {
    GetEntityRequest request = GetEntityRequest.newBuilder().setLineageId(lineageId).build();
    long start = System.nanoTime();
    try {
      Entity latest = member.get().withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).get(request);
      return logged(new Call(name, lineageId, Kind.GET, null, 0, start, System.nanoTime(), Outcome.OK,
          version(latest)));
    } catch (StatusRuntimeException e) {
      return logged(failed(lineageId, Kind.GET, null, 0, start, e));
    }
  }

  /** Writes {@code read}'s counter plus one, expecting {@code read} to be the latest version. */
  Call increment(String lineageId, Version read) {
    String tag = nextTag();
    UpdateEntityRequest request = UpdateEntityRequest.newBuilder().setLineageId(lineageId)
        .setExpectedVersion(read.number()).setData(data(read.counter() + 1, tag)).build();
    long start = System.nanoTime();
    try {
      Entity written = member.get().withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).update(request);
      return logged(new Call(name, lineageId, Kind.UPDATE, tag, read.number(), start, System.nanoTime(), Outcome.OK,
          version(written)));
    } catch (StatusRuntimeException e) {
      return logged(failed(lineageId, Kind.UPDATE, tag, read.number(), start, e));
    }
  }

  /**
   * Every member's history of each of {@code lineageIds} (empty where it was never created), read
   * through each member of {@code group} (looked up per call: a restarted member has a new
   * channel), waiting out an election.
   */
  static Map<String, List<List<Version>>> histories(Collection<String> lineageIds, ReplicatedGroup group)
      throws InterruptedException {
    Map<String, List<List<Version>>> histories = new ConcurrentHashMap<>();
    for (String lineageId : lineageIds) {
      List<List<Version>> each = new ArrayList<>();
      for (int i = 0; i < group.size(); i++) {
        int member = i;
        each.add(history(lineageId, () -> group.entities(member)));
      }
      histories.put(lineageId, each);
    }
    return histories;
  }

  private static List<Version> history(String lineageId, Supplier<EntityServiceBlockingStub> member)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        List<Version> versions = new ArrayList<>();
        String page = "";
        do {
          EntityHistoryResponse response = member.get().withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
              .history(EntityHistoryRequest.newBuilder().setLineageId(lineageId).setPageSize(1000).setPageToken(page)
                  .build());
          response.getVersionsList().forEach(entity -> versions.add(version(entity)));
          page = response.getNextPageToken();
        } while (!page.isEmpty());
        return versions;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
          return List.of();
        }
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  private Call failed(String lineageId, Kind kind, String tag, long expected, long start, StatusRuntimeException e) {
    long end = System.nanoTime();
    Status.Code code = e.getStatus().getCode();
    Map<String, String> metadata = errorMetadata(e);
    if (code == Status.Code.NOT_FOUND) {
      return new Call(name, lineageId, kind, tag, expected, start, end, Outcome.REFUSED, Version.ABSENT);
    }
    boolean namesVersion = metadata.containsKey("current_version");
    if ((code == Status.Code.ABORTED || code == Status.Code.ALREADY_EXISTS) && namesVersion) {
      return new Call(name, lineageId, kind, tag, expected, start, end, Outcome.REFUSED,
          Version.seen(Long.parseLong(metadata.get("current_version")), metadata.get("current_ecs_id")));
    }
    // Counts alone would not say what an unexpected code was about: the first of each is printed.
    if (unanswered.computeIfAbsent(code, c -> new LongAdder()).sum() == 0
        && code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
      System.out.println("unanswered " + name + " " + kind + " " + lineageId + ": " + e);
    }
    unanswered.get(code).increment();
    return new Call(name, lineageId, kind, tag, expected, start, end, Outcome.INDEFINITE, null);
  }

  private static Map<String, String> errorMetadata(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status != null) {
      for (com.google.protobuf.Any detail : status.getDetailsList()) {
        if (detail.is(ErrorInfo.class)) {
          try {
            return detail.unpack(ErrorInfo.class).getMetadataMap();
          } catch (InvalidProtocolBufferException unreadable) {
            throw new AssertionError("unreadable ErrorInfo in " + e, unreadable);
          }
        }
      }
    }
    return Map.of();
  }

  private Call logged(Call call) {
    log.add(call);
    return call;
  }

  private String nextTag() {
    return name + "-" + ++calls;
  }

  static Version version(Entity entity) {
    Map<String, Value> fields = entity.getData().getFieldsMap();
    return new Version(entity.getVersion(), entity.getEcsId(), entity.getPreviousEcsId(),
        fields.containsKey("w") ? fields.get("w").getStringValue() : null,
        fields.containsKey("n") ? (long) fields.get("n").getNumberValue() : null);
  }

  private static Struct data(long counter, String tag) {
    return Struct.newBuilder()
        .putFields("n", Value.newBuilder().setNumberValue(counter).build())
        .putFields("w", Value.newBuilder().setStringValue(tag).build())
        .build();
  }
}
