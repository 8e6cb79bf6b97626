package dev.abstractions.bench.load;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.CommitOutcome;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.ExecuteRequest;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.api.v1.UpdateEntityRequest;
import io.grpc.CallOptions;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Scenarios (a), (b), (c), (e) and the slow-subscriber check, against a running entity server. */
final class EntityScenarios {

  private final Settings settings;

  EntityScenarios(Settings settings) {
    this.settings = settings;
  }

  /** (a) Uncontended compare-and-set Update, each slot on its own entity. */
  ResultRow update(ServerProcess server) throws InterruptedException {
    return ResultRow.of("a", updateScenario(), updateSample(server));
  }

  String updateScenario() {
    return "(a) Update, CAS on distinct entities, C=" + settings.concurrency();
  }

  /** One measured window of (a). */
  ResultRow.Sample updateSample(ServerProcess server) throws InterruptedException {
    return updateSample(server, () -> {}, () -> {});
  }

  /** One measured window of (a); {@code atStart} and {@code atEnd} run at its edges. */
  ResultRow.Sample updateSample(ServerProcess server, Runnable atStart, Runnable atEnd) throws InterruptedException {
    return updateSample(List.of(server), settings.channels(), atStart, atEnd);
  }

  /**
   * One measured window of (a) against the members of a group, over {@code connections} channels
   * spread over them (channel {@code k} to member {@code k % members}); the server CPU is theirs
   * summed.
   */
  ResultRow.Sample updateSample(List<ServerProcess> members, int connections, Runnable atStart, Runnable atEnd)
      throws InterruptedException {
    try (Channels channels = Channels.open(ServerProcess.ports(members), connections)) {
      DistinctUpdates updates = new DistinctUpdates(channels, EntityData.create(channels, settings.concurrency()));
      return ResultRow.Sample.of(ClosedLoop.run(settings.concurrency(), settings.warmup(), settings.measure(),
          ServerProcess.pids(members), updates, atStart, atEnd), "");
    }
  }

  /** (b) Get of one of 1024 entities, at random. */
  ResultRow get(ServerProcess server) throws InterruptedException {
    return ResultRow.of("b", "(b) Get, C=" + settings.concurrency(), getSample(List.of(server), settings.channels()));
  }

  /**
   * One measured window of (b) against the members of a group, over {@code connections} channels
   * spread over them as {@link #updateSample(List, int, Runnable, Runnable)} spreads them.
   */
  ResultRow.Sample getSample(List<ServerProcess> members, int connections) throws InterruptedException {
    try (Channels channels = Channels.open(ServerProcess.ports(members), connections)) {
      String[] ids = EntityData.create(channels, 1024).toArray(String[]::new);
      EntityServiceGrpc.EntityServiceStub[] stubs = stubs(channels, settings.concurrency());
      return ResultRow.Sample.of(ClosedLoop.run(settings.concurrency(), settings.warmup(), settings.measure(),
          ServerProcess.pids(members),
          (slot, done) -> stubs[slot].get(
              GetEntityRequest.newBuilder().setLineageId(ids[ThreadLocalRandom.current().nextInt(ids.length)]).build(),
              Unary.of(entity -> done.succeeded(), done::failed)), () -> {}, () -> {}), "");
    }
  }

  /**
   * (c) The client-side loop on one hot entity: Get, Update with the version read, and on ABORTED
   * read and try again. One logical call is one committed increment.
   */
  ResultRow hotKeyClientLoop(ServerProcess server) throws InterruptedException {
    int writers = settings.hotWriters();
    try (Channels channels = Channels.open(server.port(), settings.channels())) {
      String hot = EntityData.create(channels, 1).get(0);
      EntityServiceGrpc.EntityServiceStub[] stubs = stubs(channels, writers);
      HotKeyAttempts attempts = new HotKeyAttempts();
      ClosedLoop.Result result = ClosedLoop.run(writers, settings.warmup(), settings.measure(), server.pid(),
          (slot, done) -> readThenWrite(stubs[slot], hot, attempts, done), attempts::windowStarts,
          attempts::windowEnds);
      String check = countCheck(channels, hot, attempts.commits());
      return ResultRow.of("c-client", "(c) hot key, client loop Get→Update→retry, " + writers + " writers", result,
          "Update attempts per commit " + Ratio.number(attempts.perCommitInWindow()) + "; " + check);
    }
  }

  private static void readThenWrite(EntityServiceGrpc.EntityServiceStub stub, String hot, HotKeyAttempts attempts,
      ClosedLoop.Completion done) {
    stub.get(GetEntityRequest.newBuilder().setLineageId(hot).build(), Unary.of(entity -> {
      UpdateEntityRequest update = UpdateEntityRequest.newBuilder()
          .setLineageId(hot)
          .setExpectedVersion(entity.getVersion())
          .setData(EntityData.withCount(EntityData.count(entity) + 1))
          .build();
      stub.update(update, Unary.of(written -> {
        attempts.attempted(true);
        done.succeeded();
      }, error -> {
        if (Status.fromThrowable(error).getCode() == Status.Code.ABORTED) {
          attempts.attempted(false);
          readThenWrite(stub, hot, attempts, done);
        } else {
          done.failed(error);
        }
      }));
    }, done::failed));
  }

  /** (c) The server-side loop on one hot entity: Execute increment, NORMAL class. */
  ResultRow hotKeyExecute(ServerProcess server) throws InterruptedException {
    int writers = settings.hotWriters();
    try (Channels channels = Channels.open(server.port(), settings.channels())) {
      String hot = EntityData.create(channels, 1).get(0);
      OperationServiceGrpc.OperationServiceStub[] stubs = new OperationServiceGrpc.OperationServiceStub[writers];
      for (int i = 0; i < writers; i++) {
        stubs[i] = OperationServiceGrpc.newStub(channels.forSlot(i));
      }
      ExecuteRequest increment = ExecuteRequest.newBuilder()
          .setTargetLineageId(hot)
          .setFunction("increment")
          .setArgs(Struct.newBuilder()
              .putFields("path", Value.newBuilder().setStringValue("count").build())
              .putFields("by", Value.newBuilder().setNumberValue(1).build()))
          .setPriorityClass(PriorityClass.NORMAL)
          .setOpType("bench-increment")
          .build();
      LongAdder commits = new LongAdder();
      ClosedLoop.Result result = ClosedLoop.run(writers, settings.warmup(), settings.measure(), server.pid(),
          (slot, done) -> stubs[slot].execute(increment, Unary.of(response -> {
            if (response.getOutcome() == CommitOutcome.OUTCOME_COMMITTED) {
              commits.increment();
              done.succeeded();
            } else {
              done.failed(new IllegalStateException("Execute ended " + response.getOutcome() + " "
                  + response.getOperation().getRejectionReason()));
            }
          }, done::failed)));
      return ResultRow.of("c-exec", "(c) hot key, server-side Execute increment, " + writers + " writers", result,
          countCheck(channels, hot, commits.sum()));
    }
  }

  /** Whether the hot entity's counter equals the increments acknowledged (nothing lost or doubled). */
  private static String countCheck(Channels channels, String hot, long acknowledged) {
    double count = EntityData.count(EntityServiceGrpc.newBlockingStub(channels.forSlot(0))
        .get(GetEntityRequest.newBuilder().setLineageId(hot).build()));
    return count == acknowledged
        ? "counter = " + acknowledged + " acknowledged increments"
        : String.format(Locale.ROOT, "COUNTER MISMATCH: %.0f != %d acknowledged", count, acknowledged);
  }

  /**
   * (e) Events to {@code subscribers} subscribers (from now, no filter, the default request) while
   * {@link Settings#fanOutWriters} writers update distinct entities. Throughput is events
   * delivered per second, summed over subscribers; latency is event time to receipt.
   */
  ResultRow fanOut(ServerProcess server, int subscribers) throws InterruptedException {
    return ResultRow.of("e" + subscribers, fanOutScenario(subscribers), fanOutSample(server, subscribers));
  }

  static String fanOutScenario(int subscribers) {
    return "(e) events to " + subscribers + " subscriber(s)";
  }

  /** One measured window of (e) with {@code subscribers} subscribers. */
  ResultRow.Sample fanOutSample(ServerProcess server, int subscribers) throws InterruptedException {
    Recorder delivered = new Recorder(3);
    List<StreamReceiver<SubscribeRequest, Event>> receivers = new ArrayList<>();
    try (Channels writerChannels = Channels.open(server.port(), settings.channels());
        Channels subscriberChannels = Channels.open(server.port(), settings.channels())) {
      DistinctUpdates updates =
          new DistinctUpdates(writerChannels, EntityData.create(writerChannels, settings.fanOutWriters()));
      for (int i = 0; i < subscribers; i++) {
        StreamReceiver<SubscribeRequest, Event> receiver = new StreamReceiver<>(delivered, EntityData::eventTime, false);
        receivers.add(receiver);
        ClientCalls.asyncServerStreamingCall(
            subscriberChannels.forSlot(i).newCall(EventServiceGrpc.getSubscribeMethod(), CallOptions.DEFAULT),
            SubscribeRequest.newBuilder().setFromNow(true).build(), receiver);
      }
      Histogram[] measured = new Histogram[1];
      ClosedLoop.Result writes = ClosedLoop.run(settings.fanOutWriters(), settings.warmup(), settings.measure(),
          server.pid(), updates, delivered::getIntervalHistogram, () -> measured[0] = delivered.getIntervalHistogram());
      long ended = receivers.stream().filter(r -> r.endStatus() != null).count();
      receivers.forEach(StreamReceiver::cancel);
      String notes = "writes " + Ratio.rate(writes.throughput()) + "/s by " + settings.fanOutWriters() + " writers";
      if (ended > 0) {
        notes += "; " + ended + " stream(s) ended early, e.g. " + receivers.stream()
            .filter(r -> r.endStatus() != null).findFirst().orElseThrow().endStatus();
      }
      return new ResultRow.Sample(measured[0], writes.window(), writes.errors() + ended, notes);
    }
  }

  /**
   * The slow-subscriber check: writer throughput (as in (a)) with no subscriber, then with one
   * subscriber that reads nothing for 10 s (on its own connection), measured over those 10 s. Afterwards the
   * stalled subscriber starts reading, and the row notes how its stream went on.
   */
  List<ResultRow> slowSubscriber(ServerProcess server) throws InterruptedException {
    try (Channels channels = Channels.open(server.port(), settings.channels());
        Channels stalledChannel = Channels.open(server.port(), 1)) {
      DistinctUpdates updates = new DistinctUpdates(channels, EntityData.create(channels, settings.concurrency()));
      ClosedLoop.Result alone =
          ClosedLoop.run(settings.concurrency(), settings.warmup(), settings.measure(), server.pid(), updates);
      StreamReceiver<SubscribeRequest, Event> stalled = new StreamReceiver<>(new Recorder(3), EntityData::eventTime, true);
      ClientCalls.asyncServerStreamingCall(
          stalledChannel.forSlot(0).newCall(EventServiceGrpc.getSubscribeMethod(), CallOptions.DEFAULT),
          SubscribeRequest.newBuilder().setFromNow(true).build(), stalled);
      ClosedLoop.Result withStalled =
          ClosedLoop.run(settings.concurrency(), java.time.Duration.ofSeconds(1), stall(), server.pid(), updates);
      // Read what is left: it either catches up from the log or is told where to resume.
      long receivedWhileStalled = stalled.received();
      stalled.resume();
      stalled.awaitEnd(3_000);
      Status end = stalled.endStatus();
      String after = "then it read " + stalled.received() + " events in 3 s and "
          + (end == null ? "was still streaming" : "ended " + end.getCode() + ": " + end.getDescription());
      stalled.cancel();
      return List.of(
          ResultRow.of("slow-none", "slow subscriber check: writers (a), no subscriber", alone, ""),
          ResultRow.of("slow-stalled", "slow subscriber check: writers (a), 1 subscriber reading nothing for "
              + stall().toSeconds() + " s", withStalled,
              "it received " + receivedWhileStalled + " while stalled; " + after));
    }
  }

  /** How long the slow subscriber reads nothing: 10 s, as the events issue asks (the window in --quick). */
  private java.time.Duration stall() {
    return settings.quick() ? settings.measure() : java.time.Duration.ofSeconds(10);
  }

  private static EntityServiceGrpc.EntityServiceStub[] stubs(Channels channels, int count) {
    EntityServiceGrpc.EntityServiceStub[] stubs = new EntityServiceGrpc.EntityServiceStub[count];
    for (int i = 0; i < count; i++) {
      stubs[i] = EntityServiceGrpc.newStub(channels.forSlot(i));
    }
    return stubs;
  }
}
