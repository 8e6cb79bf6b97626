package dev.abstractions.server.store;

import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.server.core.AdvancingTicker;
import dev.abstractions.server.core.Command;
import dev.abstractions.server.core.Decider;
import dev.abstractions.server.core.Decision;
import dev.abstractions.server.core.OpState;
import dev.abstractions.server.core.Reply;
import dev.abstractions.server.core.SharedSettings;
import dev.abstractions.server.core.TargetState;
import dev.abstractions.server.store.format.CommandBatch;
import dev.abstractions.server.store.format.LoggedCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
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
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable {@link EntityStore}: commands are entries of a Raft log (Apache Ratis, embedded, in
 * {@code dataDir}), applied by {@link StoreStateMachine} to an {@link InMemoryEntityStore} that
 * serves every read. A write is acknowledged after its entry is committed (fsynced) and applied;
 * a restart loads the latest snapshot and replays the log after it, events included.
 *
 * <p>Group commit: a command that arrives while {@link #MAX_ENTRIES_IN_FLIGHT} entry is being
 * written waits, with any others that arrive, for the next entry (up to {@link #MAX_BATCH_COMMANDS}
 * commands or {@link #MAX_BATCH_BYTES}): the log's cost is per entry (an fsync, and with peers a
 * replication round), not per command. One entry in flight made the fullest entries and the
 * highest rate in bench/RESULTS.md's tuning runs (1: 27 commands per entry, 2: 17, 4: 6).
 *
 * <p>A linearizable read on a replicated member rides the next entry too, with no command of its
 * own: once this member applied that entry, committed in the leader's current term, it has applied
 * every write acknowledged before the read began. (Not Ratis's ReadIndex: Ratis 3.1.3 answers a
 * leader's read at a commit index it confirmed once before without asking its followers again,
 * so a leader frozen while the others elected a new one served old versions when it thawed.)
 *
 * <p>One peer (durable single node), or a member of the replicated group --peers names: the same
 * state machine, log format and code path.
 */
public final class RaftEntityStore implements EntityStore {

  private static final Logger log = LoggerFactory.getLogger(RaftEntityStore.class);

  /** The one group this server's log belongs to (fixed: the data directory holds only it). */
  static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(UUID.fromString("6a0b1d9e-3c55-4f0e-9a57-2e6b0c1f7d42"));
  static final int MAX_ENTRIES_IN_FLIGHT = 1;
  static final int MAX_BATCH_COMMANDS = 512;
  static final int MAX_BATCH_BYTES = 1 << 20;
  private static final long START_TIMEOUT_SECONDS = 120;

  private final InMemoryEntityStore applied;
  private final StoreStateMachine machine;
  private final long snapshotEvery;
  private final long segmentBytes;
  private final RaftPeerId self;
  /** Every member of the group by id, this one included, to its Raft address; empty for a single node. */
  private final Map<String, String> peers;
  /** The Raft server, from {@link #start} on. */
  private volatile RaftServer server;
  /** Forwards this member's batches to the leader while it follows; null for a single node. */
  private volatile RaftClient forwarder;
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
  private final AdvancingTicker ticker;
  /** The settings this member's flags give; a leader makes them the group's. */
  private final SharedSettings configured;
  /** Set once {@link #start} has settled (or found settled) the group's settings. */
  private volatile boolean opened;
  /**
   * How long a leader waits, after it applied the newest entry of its log, for another entry before
   * it sends a commit notice instead: far below the heartbeat's 300 ms, above the gap between
   * batches under load.
   */
  private static final long NOTICE_DELAY_MICROS = 2_000;
  private final ScheduledExecutorService notices = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "commit-notices");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicBoolean noticeScheduled = new AtomicBoolean();
  /** How often a new leader proposes its settings before it gives up (it still leads: 100 ms apart). */
  private static final int SETTLE_ATTEMPTS = 50;

  /** A command waiting for an entry, or (command null) a read waiting for the next entry to be applied here. */
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

  /**
   * A store over {@code dataDir}, member {@code nodeId} of the group {@code peers} (id to Raft
   * address; empty for a single node); nothing is read or written before {@link #start}.
   */
  public RaftEntityStore(InMemoryEntityStore applied, dev.abstractions.server.events.EventLog events,
      AdvancingTicker ticker, Path dataDir, long snapshotEvery, long segmentBytes, String nodeId,
      Map<String, String> peers) {
    this.applied = applied;
    this.self = RaftPeerId.valueOf(nodeId);
    this.peers = Map.copyOf(peers);
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.snapshotEvery = snapshotEvery;
    this.segmentBytes = segmentBytes;
    this.replies = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), runnable -> {
      Thread thread = new Thread(runnable, "store-replies");
      thread.setDaemon(true);
      return thread;
    });
    this.ticker = ticker;
    this.configured = applied.sharedSettings();
    this.machine = new StoreStateMachine(applied, events, ticker, origin, replies, self, snapshotEvery,
        this::settleWhileLeading, this::noticeCommit);
  }

  /**
   * Whether this member, leading, should make its settings the group's: the state has none of its
   * own yet (a new log, or one from before settings were kept), or other ones than its flags.
   */
  private boolean mustSettle() {
    return !applied.settled() || !applied.sharedSettings().equals(configured);
  }

  /**
   * Makes this member's settings the group's (a {@link Command.Settle} through the log) when it
   * starts to lead after its own start (which settles on its own), on a thread of its own, trying
   * again while it still leads and the proposal fails (a leader that is not ready yet refuses it).
   * Commands proposed before it lands apply with the settings before.
   */
  private void settleWhileLeading() {
    if (!opened) {
      return;
    }
    Thread settler = new Thread(() -> {
      for (int attempt = 1; attempt <= SETTLE_ATTEMPTS && leads() && !closed && mustSettle(); attempt++) {
        try {
          if (settle().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS).reply() instanceof Reply.Settled) {
            return;
          }
        } catch (InterruptedException e) {
          return;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          log.atDebug().addKeyValue("attempt", attempt).addKeyValue("error", e.toString())
              .log("settling the group's settings failed; trying again");
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "settle-on-leading");
    settler.setDaemon(true);
    settler.start();
  }

  private CompletableFuture<Decision> settle() {
    return apply(new Command.Settle(configured, ticker.now()), RequestKey.NONE);
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
    RaftGroup group = group();
    RaftProperties properties = properties();
    String address = group.getPeer(self).getAddress();
    GrpcConfigKeys.Server.setPort(properties, Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
    server = RaftServer.newBuilder()
        .setServerId(self)
        .setGroup(group)
        .setProperties(properties)
        .setStateMachine(machine)
        .setOption(fresh ? RaftStorage.StartupOption.FORMAT : RaftStorage.StartupOption.RECOVER)
        .build();
    server.start();
    if (group.getPeers().size() > 1) {
      forwarder = newForwarder(group);
    }
    awaitReplayed();
    if (leads() && mustSettle()) {
      // Before the first call is served: every command from here on applies with these settings.
      settleAtStart();
    }
    opened = true;
    log.atInfo().addKeyValue("dataDir", dataDir).addKeyValue("lineages", applied.lineageCount())
        .addKeyValue("lastSequence", applied.lastSequence())
        .addKeyValue("millis", (System.nanoTime() - started) / 1_000_000).log("durable store ready");
  }

  private RaftClient newForwarder(RaftGroup group) {
    RaftProperties clientProperties = properties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(clientProperties, TimeDuration.valueOf(1, TimeUnit.SECONDS));
    return RaftClient.newBuilder()
        .setRaftGroup(group)
        .setProperties(clientProperties)
        // Rides out an election (a second or two); a caller's write fails UNAVAILABLE after at
        // most about 12 s without a leader.
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(10, TimeDuration.valueOf(200,
            TimeUnit.MILLISECONDS)))
        .build();
  }

  /**
   * A request the forwarding client gave up on closes its ordered stream for good (every later one
   * fails AlreadyClosedException), so a member that went without a leader for longer than the
   * retries would never forward again: the failed client is replaced by a new one.
   */
  private void renewForwarder(RaftClient failed) {
    synchronized (queueLock) {
      if (forwarder != failed || closed) {
        return;
      }
      forwarder = newForwarder(group());
    }
    try {
      failed.close();
    } catch (IOException e) {
      log.atDebug().addKeyValue("error", e.toString()).log("closing the failed forwarding client");
    }
  }

  /** The group: the members --peers names, or this one alone on a port nobody connects to. */
  private RaftGroup group() {
    if (peers.isEmpty()) {
      return RaftGroup.valueOf(GROUP_ID, RaftPeer.newBuilder().setId(self).setAddress("127.0.0.1:0").build());
    }
    List<RaftPeer> members = new ArrayList<>();
    peers.forEach((id, address) -> members.add(RaftPeer.newBuilder().setId(id).setAddress(address).build()));
    return RaftGroup.valueOf(GROUP_ID, members);
  }

  private RaftProperties properties() {
    RaftProperties properties = new RaftProperties();
    // Ratis's gRPC transport (8x faster than its Netty one here), with its log appenders mended.
    RaftConfigKeys.Rpc.setType(properties, new RaftGrpcTransport());
    RaftServerConfigKeys.setStorageDir(properties, List.of(dataDir.toFile()));
    // Elections: a follower that hears nothing from the leader for 0.6 to 1.2 s stands. Ratis's
    // 150-300 ms default starts needless elections on a loaded machine; etcd's default is 1 s.
    RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(600, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(1200, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, snapshotEvery);
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
    // Segments wholly before the latest snapshot are deleted: the snapshot bounds the log on disk.
    // A group keeps the last interval's worth of log entries besides (as etcd's
    // --snapshot-catchup-entries), counted back from the newest entry: a follower a little behind
    // catches up from them, not from a whole snapshot (which a member with state of its own can
    // only load by restarting). Read barriers and commit notices take entries too, one or two per
    // write, so a whole interval keeps about half an interval of writes.
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
    RaftServerConfigKeys.Log.setPurgeGap(properties, 1);
    if (peers.size() > 1) {
      RaftServerConfigKeys.Log.setPurgePreservationLogNum(properties, snapshotEvery);
    }
    // A snapshot is sent in pieces of 1 MB, 8 at most in flight (Ratis's limit): a few MB of the
    // leader's heap, where Ratis's 16 MB pieces could hold 128 MB on top of the state.
    RaftServerConfigKeys.Log.Appender.setSnapshotChunkSizeMax(properties, SizeInBytes.valueOf("1MB"));
    RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf(segmentBytes));
    // Ratis keeps log entries in the heap, by default up to 6 closed segments or 200 MB besides
    // the open one: outside the memory budget, and kept for a follower that lags, until the
    // leader ran out of heap. An eighth of the heap holds the recent entries every follower is
    // sent; older ones a lagging follower needs are read back from disk.
    RaftServerConfigKeys.Log.setSegmentCacheSizeMax(properties,
        SizeInBytes.valueOf(Math.min(200L << 20, Runtime.getRuntime().maxMemory() / 8)));
    // Ratis's metadata entries (one per commit-index step, a quarter of all entries here) each
    // cost a write; a restarted member learns the commit index from its leader instead.
    RaftServerConfigKeys.Log.setLogMetadataEnabled(properties, false);
    return properties;
  }

  /**
   * Waits until this member has applied everything the group had committed when it started: an
   * empty batch proposed now (through the leader, wherever it is) is committed after all of it,
   * at the log index the reply names; this member has caught up once it applied that far (by
   * entries, or by a snapshot the leader sent that covers it).
   */
  private void awaitReplayed() throws IOException {
    long started = System.nanoTime();
    long deadline = started + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
    long nextReport = started + TimeUnit.SECONDS.toNanos(10);
    Throwable lastFailure = null;
    long barrierIndex = -1;
    while (barrierIndex < 0) {
      CommandBatch barrier = CommandBatch.newBuilder().setOrigin(origin).setBatchId(batchIds.incrementAndGet()).build();
      try {
        RaftClientReply reply = send(barrier).get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (reply.isSuccess()) {
          barrierIndex = reply.getLogIndex();
        } else {
          lastFailure = reply.getException();
        }
      } catch (java.util.concurrent.ExecutionException failure) {
        lastFailure = failure.getCause();
      } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
        lastFailure = e;
      }
      if (barrierIndex < 0) {
        nextReport = awaitMore(deadline, nextReport, "no leader has committed this member's first entry", lastFailure);
      }
    }
    while (server.getDivision(GROUP_ID).getInfo().getLastAppliedIndex() < barrierIndex) {
      nextReport = awaitMore(deadline, nextReport, "catching up to log index " + barrierIndex, null);
    }
  }

  private void settleAtStart() throws IOException {
    try {
      Reply reply = settle().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS).reply();
      if (!(reply instanceof Reply.Settled)) {
        throw new IOException("the durable store did not settle its settings: " + reply);
      }
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // It stopped leading meanwhile (the new leader settles its own) or the proposal failed.
      log.atWarn().addKeyValue("error", e.toString()).log("this member's settings were not proposed at start");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while opening the durable store", e);
    }
  }

  /** Sleeps a little before the next try, saying every 10 s what it waits for; fails past the deadline. */
  private long awaitMore(long deadline, long nextReport, String waitingFor, Throwable lastFailure) throws IOException {
    long now = System.nanoTime();
    if (now > deadline) {
      throw new IOException("the durable store did not become ready in " + START_TIMEOUT_SECONDS + " s: "
          + waitingFor + (lastFailure == null ? "" : " (" + lastFailure + ")"), lastFailure);
    }
    if (now > nextReport) {
      log.atWarn().addKeyValue("waitingFor", waitingFor).addKeyValue("lastFailure", String.valueOf(lastFailure))
          .log("the durable store is not ready yet");
      nextReport = now + TimeUnit.SECONDS.toNanos(10);
    }
    sleep(lastFailure == null ? 10 : 100);
    return nextReport;
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while opening the durable store", e);
    }
  }

  /**
   * Proposes a batch: into this member's log if it leads (or is alone), else to the leader through
   * the forwarding client. The reply says whether it was committed; its callers are answered
   * when this member applies it.
   */
  private CompletableFuture<RaftClientReply> send(CommandBatch batch) {
    try {
      Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(batch.toByteArray()));
      RaftClient client = forwarder;
      if (client == null || server.getDivision(GROUP_ID).getInfo().isLeader()) {
        return server.submitClientRequestAsync(request(message, RaftClientRequest.writeRequestType()));
      }
      return client.async().send(message).whenComplete((reply, failure) -> {
        if (failure != null) {
          renewForwarder(client);
        }
      });
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * An entry was applied here: if this member leads and, a moment later, nothing came after it in
   * the log, it sends a commit notice ({@link #sendNoticeIfIdle}).
   */
  private void noticeCommit() {
    if (forwarder != null && !closed && noticeScheduled.compareAndSet(false, true)) {
      try {
        notices.schedule(this::sendNoticeIfIdle, NOTICE_DELAY_MICROS, TimeUnit.MICROSECONDS);
      } catch (RejectedExecutionException closing) {
        // the store closed meanwhile: nobody waits for a commit index any more
      }
    }
  }

  /**
   * Leading, with the newest entry of its log applied and nothing after it: Ratis would tell the
   * followers the new commit index only with the next entry or heartbeat (up to half the election
   * timeout, 300 ms; its metadata entries, which would tell them, are off, see properties()), and a
   * follower that forwarded that entry, a write or a read, would wait that long to apply it and
   * answer. A commit notice, an empty entry, tells them now. Under load the next batch comes
   * within the delay and no notice is sent.
   */
  private void sendNoticeIfIdle() {
    noticeScheduled.set(false);
    try {
      RaftServer.Division division = server.getDivision(GROUP_ID);
      long applied = division.getInfo().getLastAppliedIndex();
      if (closed || !division.getInfo().isLeader()
          || division.getRaftLog().getLastEntryTermIndex().getIndex() != applied) {
        return;
      }
    } catch (IOException e) {
      return; // closing
    }
    // Not answered: a notice that fails (leadership lost meanwhile) leaves it to the heartbeat.
    send(CommandBatch.newBuilder().setOrigin(origin).setBatchId(batchIds.incrementAndGet()).setCommitNotice(true)
        .build());
  }

  @Override
  public CompletableFuture<Decision> apply(Command command, RequestKey request) {
    return enqueue(CommandCodec.encode(command, request));
  }

  /** Queues a command (or, null, a read) for the next entry, proposing it now if no entry is in flight. */
  private CompletableFuture<Decision> enqueue(LoggedCommand logged) {
    CompletableFuture<Decision> caller = new CompletableFuture<>();
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
      LoggedCommand command = queue.get(count).command;
      int size = command == null ? 0 : command.getSerializedSize();
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
      if (queued.command != null) {
        entry.addCommands(queued.command);
        callers.add(queued.caller);
      }
    }
    for (Queued queued : batch) {
      if (queued.command == null) {
        callers.add(queued.caller); // after the commands: StoreStateMachine answers them null
      }
    }
    machine.awaitBatch(batchId, callers);
    entriesProposed.increment();
    commandsProposed.add(entry.getCommandsCount());
    send(entry.build()).whenComplete((answer, failure) -> {
      if (failure != null || !answer.isSuccess()) {
        Throwable cause = failure != null ? failure : answer.getException();
        List<CompletableFuture<Decision>> unanswered = machine.forgetBatch(batchId);
        if (unanswered != null) {
          log.atWarn().addKeyValue("callers", unanswered.size()).addKeyValue("cause", String.valueOf(cause))
              .log("log entry not committed");
          StoreUnavailableException unavailable =
              new StoreUnavailableException("the write could not be committed; it may or may not have been", cause);
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

  /** A request to this member's own division. */
  private RaftClientRequest request(Message message, RaftClientRequest.Type type) {
    return RaftClientRequest.newBuilder()
        .setClientId(clientId)
        .setServerId(self)
        .setGroupId(GROUP_ID)
        .setCallId(callIds.incrementAndGet())
        .setMessage(message)
        .setType(type)
        .build();
  }

  @Override
  public boolean serving() {
    DivisionInfo info = divisionInfo();
    return info != null && (info.isLeader() ? info.isLeaderReady() : info.getLeaderId() != null);
  }

  /** What this member knows of its group now; null when it is not running. */
  private DivisionInfo divisionInfo() {
    RaftServer started = server;
    if (started == null || closed) {
      return null;
    }
    try {
      return started.getDivision(GROUP_ID).getInfo();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public CompletableFuture<Void> readBarrier() {
    if (forwarder == null) {
      return applied.readBarrier(); // alone: a write is acknowledged only once applied here
    }
    // A read no leader confirms is answered UNAVAILABLE: the client may retry it.
    return enqueue(null).handle((ignored, failure) -> {
      if (failure != null) {
        throw new StoreUnavailableException("no leader confirmed the read",
            failure instanceof StoreUnavailableException unavailable ? unavailable.getCause() : failure);
      }
      return null;
    });
  }

  @Override
  public Decider decider() {
    return applied.decider();
  }

  @Override
  public Reply recorded(RequestKey request, long tick) {
    return applied.recorded(request, tick);
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
  public String rootOf(String lineageId) {
    return applied.rootOf(lineageId);
  }

  @Override
  public TreeRead readTree(String rootId, long treeVersion, String afterLineageId, int limit) {
    return applied.readTree(rootId, treeVersion, afterLineageId, limit);
  }

  @Override
  public Optional<TreeHistoryPage> treeHistory(String rootId, long fromTreeVersion, int limit) {
    return applied.treeHistory(rootId, fromTreeVersion, limit);
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
  public Set<String> targetsWithOperationsInFlight() {
    return applied.targetsWithOperationsInFlight();
  }

  /** Expiry starts on the leader: a command it proposes is stamped with its time, like every other. */
  @Override
  public boolean leads() {
    DivisionInfo info = divisionInfo();
    return info != null && info.isLeader();
  }

  @Override
  public long lastSequence() {
    return applied.lastSequence();
  }

  /**
   * A leader that stops (SIGTERM, a rolling update) first hands leadership to another member, so
   * that the group goes on after one round trip instead of waiting out an election timeout. Best
   * effort: if no member takes it within 3 s, the others elect one as after a crash.
   */
  private void handOverLeadership() {
    try {
      RaftServer.Division division = server.getDivision(GROUP_ID);
      if (!division.getInfo().isLeader()) {
        return;
      }
      for (RaftPeer peer : division.getGroup().getPeers()) {
        if (!peer.getId().equals(self)) {
          RaftClientReply reply = forwarder.admin().transferLeadership(peer.getId(), 3_000);
          log.atInfo().addKeyValue("to", peer.getId()).addKeyValue("done", reply.isSuccess())
              .log("handing over leadership before stopping");
          if (reply.isSuccess()) {
            return;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      log.atWarn().addKeyValue("error", e.toString()).log("leadership not handed over; the others will elect a leader");
    }
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
    if (forwarder != null) {
      handOverLeadership();
      forwarder.close();
    }
    if (server != null) {
      machine.stopping();
      server.close();
    }
    notices.shutdownNow();
    replies.shutdown();
  }
}
