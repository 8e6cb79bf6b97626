package dev.abstractions.server.store;

import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.server.core.AdvancingTicker;
import dev.abstractions.server.core.Command;
import dev.abstractions.server.core.Decision;
import dev.abstractions.server.core.OpState;
import dev.abstractions.server.core.TargetState;
import dev.abstractions.server.store.format.CommandBatch;
import dev.abstractions.server.store.format.LoggedCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable {@link EntityStore}: commands are entries of a Raft log (Apache Ratis, embedded, in
 * {@code dataDir}), applied by {@link StoreStateMachine} to an {@link InMemoryEntityStore} that
 * serves every read. A write is acknowledged after its entry is committed (fsynced) and applied;
 * a restart loads the latest snapshot and replays the log after it, events included.
 *
 * <p>Group commit: a command that arrives while {@link #MAX_ENTRIES_IN_FLIGHT} entries are being
 * written waits, with any others that arrive, for the next entry (up to {@link #MAX_BATCH_COMMANDS}
 * commands or {@link #MAX_BATCH_BYTES}): the log's cost is per entry (an fsync), not per command.
 *
 * <p>One peer today (durable single node); the state machine, log format and group are those a
 * replicated group uses.
 */
public final class RaftEntityStore implements EntityStore {

  private static final Logger log = LoggerFactory.getLogger(RaftEntityStore.class);

  /** The one group this server's log belongs to (fixed: the data directory holds only it). */
  static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(UUID.fromString("6a0b1d9e-3c55-4f0e-9a57-2e6b0c1f7d42"));
  private static final RaftPeerId SELF = RaftPeerId.valueOf("n1");
  static final int MAX_ENTRIES_IN_FLIGHT = 4;
  static final int MAX_BATCH_COMMANDS = 512;
  static final int MAX_BATCH_BYTES = 1 << 20;
  private static final long START_TIMEOUT_SECONDS = 120;

  private final InMemoryEntityStore applied;
  private final StoreStateMachine machine;
  private final long snapshotEvery;
  /** The Raft server, from {@link #start} on. */
  private volatile RaftServer server;
  private final ExecutorService replies;
  private final long origin = ThreadLocalRandom.current().nextLong();
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong batchIds = new AtomicLong();
  private final AtomicLong callIds = new AtomicLong();
  private final Object queueLock = new Object();
  /** Commands waiting for an entry, in arrival order; guarded by queueLock. */
  private ArrayList<Queued> queue = new ArrayList<>();
  /** Entries proposed and not yet answered; guarded by queueLock. */
  private int entriesInFlight;
  private volatile boolean closed;

  private record Queued(LoggedCommand command, CompletableFuture<Decision> caller) {}

  /** Log entries proposed, and the commands in them: their ratio is the group commit's batch size. */
  private final LongAdder entriesProposed = new LongAdder();
  private final LongAdder commandsProposed = new LongAdder();
  private final Path dataDir;

  /**
   * The log as operators watch it. Indexes count Raft entries (commands are batched into them,
   * and Ratis adds entries of its own), so they are not event sequences.
   *
   * @param leader whether this peer leads its group (a single peer always does once started)
   * @param snapshotAgeSeconds since the latest snapshot was written; -1 before the first
   */
  public record LogStatus(boolean leader, long term, long commitIndex, long appliedIndex, long snapshotIndex,
      long snapshotAgeSeconds, long diskBytes, long entriesProposed, long commandsProposed) {}

  /** A store over {@code dataDir}; nothing is read or written there before {@link #start}. */
  public RaftEntityStore(InMemoryEntityStore applied, dev.abstractions.server.events.EventLog events,
      AdvancingTicker ticker, Path dataDir, long snapshotEvery) {
    this.applied = applied;
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.snapshotEvery = snapshotEvery;
    this.replies = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), runnable -> {
      Thread thread = new Thread(runnable, "store-replies");
      thread.setDaemon(true);
      return thread;
    });
    this.machine = new StoreStateMachine(applied, events, ticker, origin, replies);
  }

  /**
   * Opens (or creates) the log in the data directory and returns once everything it holds is
   * applied, so that the first command issued after it sees the whole state.
   */
  @Override
  public void start() throws IOException {
    Files.createDirectories(dataDir);
    boolean fresh = !Files.exists(dataDir.resolve(GROUP_ID.getUuid().toString()));
    log.atInfo().addKeyValue("dataDir", dataDir).addKeyValue("fresh", fresh).log("opening the durable store");
    long started = System.nanoTime();
    server = RaftServer.newBuilder()
        .setServerId(SELF)
        .setGroup(RaftGroup.valueOf(GROUP_ID, RaftPeer.newBuilder().setId(SELF).setAddress("127.0.0.1:0").build()))
        .setProperties(properties(dataDir, snapshotEvery))
        .setStateMachine(machine)
        .setOption(fresh ? RaftStorage.StartupOption.FORMAT : RaftStorage.StartupOption.RECOVER)
        .build();
    server.start();
    awaitReplayed();
    log.atInfo().addKeyValue("dataDir", dataDir).addKeyValue("lineages", applied.lineageCount())
        .addKeyValue("lastSequence", applied.lastSequence())
        .addKeyValue("millis", (System.nanoTime() - started) / 1_000_000).log("durable store ready");
  }

  private static RaftProperties properties(Path dataDir, long snapshotEvery) {
    RaftProperties properties = new RaftProperties();
    RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC); // 8x faster than Ratis's Netty transport here
    GrpcConfigKeys.Server.setPort(properties, 0); // one peer: nobody connects to it
    RaftServerConfigKeys.setStorageDir(properties, List.of(dataDir.toFile()));
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, snapshotEvery);
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
    // Segments wholly before the latest snapshot are deleted: the snapshot bounds the log on disk.
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
    RaftServerConfigKeys.Log.setPurgeGap(properties, 1);
    return properties;
  }

  /**
   * Waits until this peer leads and has applied everything its log held at start: a no-op entry
   * proposed now is applied after all of them.
   */
  private void awaitReplayed() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
    while (true) {
      try {
        RaftClientReply reply = server.submitClientRequestAsync(request(CommandBatch.getDefaultInstance()))
            .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (reply.isSuccess()) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IOException("the durable store did not become ready: " + reply.getException());
        }
        Thread.sleep(20); // not leader yet: the single peer elects itself within a second
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while opening the durable store", e);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IOException("the durable store did not become ready", e);
      }
    }
  }

  @Override
  public CompletableFuture<Decision> apply(Command command) {
    CompletableFuture<Decision> caller = new CompletableFuture<>();
    LoggedCommand logged = CommandCodec.encode(command);
    List<Queued> batch = null;
    synchronized (queueLock) {
      if (closed) {
        return CompletableFuture.failedFuture(new StoreUnavailableException("the store is closed", null));
      }
      queue.add(new Queued(logged, caller));
      if (entriesInFlight < MAX_ENTRIES_IN_FLIGHT) {
        entriesInFlight++;
        batch = takeBatch();
      }
    }
    if (batch != null) {
      propose(batch);
    }
    return caller;
  }

  /** Takes the oldest waiting commands that fit in one entry; under queueLock. */
  private List<Queued> takeBatch() {
    int bytes = 0;
    int count = 0;
    while (count < queue.size() && count < MAX_BATCH_COMMANDS) {
      int size = queue.get(count).command.getSerializedSize();
      if (count > 0 && bytes + size > MAX_BATCH_BYTES) {
        break;
      }
      bytes += size;
      count++;
    }
    List<Queued> batch;
    if (count == queue.size()) {
      batch = queue;
      queue = new ArrayList<>();
    } else {
      batch = new ArrayList<>(queue.subList(0, count));
      queue.subList(0, count).clear();
    }
    return batch;
  }

  private void propose(List<Queued> batch) {
    long batchId = batchIds.incrementAndGet();
    CommandBatch.Builder entry = CommandBatch.newBuilder().setOrigin(origin).setBatchId(batchId);
    List<CompletableFuture<Decision>> callers = new ArrayList<>(batch.size());
    for (Queued queued : batch) {
      entry.addCommands(queued.command);
      callers.add(queued.caller);
    }
    machine.awaitBatch(batchId, callers);
    entriesProposed.increment();
    commandsProposed.add(callers.size());
    CompletableFuture<RaftClientReply> reply;
    try {
      reply = server.submitClientRequestAsync(request(entry.build()));
    } catch (IOException | RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete((answer, failure) -> {
      if (failure != null || !answer.isSuccess()) {
        Throwable cause = failure != null ? failure : answer.getException();
        List<CompletableFuture<Decision>> unanswered = machine.forgetBatch(batchId);
        if (unanswered != null) {
          log.atWarn().setCause(cause).addKeyValue("commands", unanswered.size()).log("log entry not committed");
          StoreUnavailableException unavailable =
              new StoreUnavailableException("the write could not be made durable", cause);
          unanswered.forEach(future -> future.completeExceptionally(unavailable));
        }
      }
      proposeNext();
    });
  }

  /** An entry was answered: the commands that waited meanwhile go out in the next one. */
  private void proposeNext() {
    List<Queued> next = null;
    synchronized (queueLock) {
      if (queue.isEmpty()) {
        entriesInFlight--;
      } else {
        next = takeBatch();
      }
    }
    if (next != null) {
      propose(next);
    }
  }

  private RaftClientRequest request(CommandBatch batch) {
    return RaftClientRequest.newBuilder()
        .setClientId(clientId)
        .setServerId(SELF)
        .setGroupId(GROUP_ID)
        .setCallId(callIds.incrementAndGet())
        .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(batch.toByteArray())))
        .setType(RaftClientRequest.writeRequestType())
        .build();
  }

  @Override
  public TargetState state(String lineageId) {
    return applied.state(lineageId);
  }

  @Override
  public VersionRead read(String lineageId, long version) {
    return applied.read(lineageId, version);
  }

  @Override
  public EntityPage list(String entityType, String afterLineageId, int limit) {
    return applied.list(entityType, afterLineageId, limit);
  }

  @Override
  public Optional<HistoryPage> history(String lineageId, long fromVersion, int limit) {
    return applied.history(lineageId, fromVersion, limit);
  }

  @Override
  public long lineageCount() {
    return applied.lineageCount();
  }

  @Override
  public OpState operation(String opId) {
    return applied.operation(opId);
  }

  @Override
  public OperationRegistry.Page operations(String target, OperationRegistry.Position after,
      Set<OperationStatus> statuses, int limit) {
    return applied.operations(target, after, statuses, limit);
  }

  @Override
  public int liveOperations() {
    return applied.liveOperations();
  }

  @Override
  public long lastSequence() {
    return applied.lastSequence();
  }

  /** Reads the log's state now (for metrics; a scrape, not a hot path: it walks the data directory). */
  public LogStatus logStatus() throws IOException {
    RaftServer.Division division = server.getDivision(GROUP_ID);
    var snapshot = machine.getLatestSnapshot();
    long snapshotAge = -1;
    if (snapshot != null) {
      snapshotAge = Math.max(0, (System.currentTimeMillis()
          - Files.getLastModifiedTime(snapshot.getFile().getPath()).toMillis()) / 1000);
    }
    long diskBytes;
    try (var files = Files.walk(dataDir)) {
      diskBytes = files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
    }
    return new LogStatus(division.getInfo().isLeader(), division.getInfo().getCurrentTerm(),
        division.getRaftLog().getLastCommittedIndex(), division.getInfo().getLastAppliedIndex(),
        snapshot == null ? -1 : snapshot.getIndex(), snapshotAge, diskBytes, entriesProposed.sum(),
        commandsProposed.sum());
  }

  /** Stops the log: commands not yet committed fail with UNAVAILABLE; everything acknowledged is on disk. */
  @Override
  public void close() throws IOException {
    synchronized (queueLock) {
      closed = true;
    }
    if (server != null) {
      server.close();
    }
    replies.shutdown();
  }
}
