package dev.abstractions.server.store;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.abstractions.server.core.AdvancingTicker;
import dev.abstractions.server.core.Command;
import dev.abstractions.server.core.Decision;
import dev.abstractions.server.core.SharedSettings;
import dev.abstractions.server.events.EventLog;
import dev.abstractions.server.store.format.CommandBatch;
import dev.abstractions.server.store.format.LoggedCommand;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store as a Raft state machine: each committed log entry is a {@link CommandBatch}, applied
 * command by command, in log order, to the {@link InMemoryEntityStore} that holds the applied
 * state and serves reads. Ratis calls {@link #applyTransaction} on one thread, after the entry is
 * committed (durable on a quorum), so what readers see is always durable. Decisions are made only
 * here, from the commands' own time, ids and jitter, so a replay and every replica decide alike.
 *
 * <p>The process that proposed a batch holds its callers' futures under the batch's id; applying
 * the batch completes them (on {@code replies}, so that answering callers never slows the log).
 * Entries replayed at start, or proposed by another process, have nobody waiting here.
 *
 * <p>Snapshots ({@link SnapshotCodec}) are taken on the apply thread, between two entries.
 */
final class StoreStateMachine extends BaseStateMachine {

  private static final Logger log = LoggerFactory.getLogger(StoreStateMachine.class);

  private final InMemoryEntityStore applied;
  private final EventLog events;
  private final long origin;
  private final Executor replies;
  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  /** Batches this process proposed and has not applied yet: the callers waiting for each command. */
  private final ConcurrentHashMap<Long, List<CompletableFuture<Decision>>> waiting = new ConcurrentHashMap<>();
  /** Writes snapshots, off the apply thread. */
  private final ExecutorService snapshotWriter = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "snapshot-writer");
    thread.setDaemon(true);
    return thread;
  });
  /** The snapshot being written (apply thread only), and the index of the latest one on disk. */
  private CompletableFuture<Void> writing;
  private volatile long writtenIndex = -1;
  /** Entries that change the state between two snapshots ({@code --snapshot-every}). */
  private final long snapshotEvery;
  /** Entries with commands applied since the last snapshot was captured (or since start); apply thread only. */
  private long changesSinceSnapshot;
  /** Set as the server stops: the snapshot Ratis asks for then is taken whatever changed. */
  private volatile boolean stopping;
  /** Kept ahead of every tick applied or restored. */
  private final AdvancingTicker ticker;
  /** The highest command tick applied or restored; on the apply thread only. */
  private long lastTick = Long.MIN_VALUE;
  /** The settings this member's flags give, which the group's may differ from. */
  private final SharedSettings configured;
  /** Called (on a Ratis thread) when this member becomes the leader. */
  private final Runnable onLeading;
  /** Called (on the apply thread) after each entry applied, but commit notices. */
  private final Runnable onApplied;
  private final RaftPeerId self;

  StoreStateMachine(InMemoryEntityStore applied, EventLog events, AdvancingTicker ticker, long origin,
      Executor replies, RaftPeerId self, long snapshotEvery, Runnable onLeading, Runnable onApplied) {
    this.applied = applied;
    this.snapshotEvery = snapshotEvery;
    this.events = events;
    this.ticker = ticker;
    this.origin = origin;
    this.replies = replies;
    this.self = self;
    this.onLeading = onLeading;
    this.onApplied = onApplied;
    this.configured = applied.sharedSettings();
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    if (self.equals(newLeaderId)) {
      onLeading.run();
    }
  }

  /**
   * Registers the callers of a batch before it is proposed: one per command, in order, then those
   * of the reads that wait for it (answered null once it is applied here).
   */
  void awaitBatch(long batchId, List<CompletableFuture<Decision>> callers) {
    waiting.put(batchId, callers);
  }

  /** The batch's proposal failed: its callers are the proposer's to answer (null if it was applied after all). */
  List<CompletableFuture<Decision>> forgetBatch(long batchId) {
    return waiting.remove(batchId);
  }

  /**
   * On the leader, before a batch enters the log: a batch another member forwarded gets the
   * leader's time, so that every command in the log is stamped by the one clock that orders it
   * (a Begin's wait deadline moves with it). Batches proposed here already carry this clock.
   */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    java.nio.ByteBuffer content = request.getMessage().getContent().asReadOnlyByteBuffer();
    if (originOf(content.duplicate()) == origin) {
      return super.startTransaction(request); // the common case, without parsing the commands
    }
    CommandBatch batch = CommandBatch.parseFrom(content);
    if (batch.getCommandsCount() == 0) {
      return super.startTransaction(request);
    }
    CommandBatch.Builder stamped = batch.toBuilder();
    for (LoggedCommand.Builder command : stamped.getCommandsBuilderList()) {
      long tick = ticker.tickNanos();
      long shift = tick - command.getTickNanos();
      command.setTickNanos(tick).setWallNanos(ticker.wallNanos());
      if (command.hasBegin()) {
        command.getBeginBuilder().setWaitUntilTick(command.getBegin().getWaitUntilTick() + shift);
      }
    }
    return TransactionContext.newBuilder()
        .setStateMachine(this)
        .setClientRequest(request)
        .setLogData(UnsafeByteOperations.unsafeWrap(stamped.build().toByteArray()))
        .build();
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    super.initialize(server, groupId, raftStorage);
    // NEW, STARTING, RUNNING: Ratis pauses a running machine to install a snapshot (see pause).
    getLifeCycle().startAndTransition(() -> {
      storage.init(raftStorage);
      restore(storage.getLatestSnapshot());
    }, IOException.class);
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
    LogEntryProto entry = transaction.getLogEntry();
    CommandBatch batch;
    try {
      batch = CommandBatch.parseFrom(entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
    } catch (InvalidProtocolBufferException e) {
      // A committed entry this server cannot read: skipping it would fork this replica's state.
      return CompletableFuture.failedFuture(new IllegalStateException("unreadable log entry " + entry.getIndex(), e));
    }
    List<Decision> decisions = new ArrayList<>(batch.getCommandsCount());
    long tick = lastTick;
    try {
      for (LoggedCommand logged : batch.getCommandsList()) {
        Command command = CommandCodec.decode(logged);
        tick = Math.max(tick, command.time().tickNanos());
        SharedSettings before = command instanceof Command.Settle ? applied.sharedSettings() : null;
        decisions.add(applied.applyNow(command, CommandCodec.request(logged)));
        if (before != null) {
          reportSettled(before, entry.getIndex());
        }
      }
    } catch (Throwable failure) {
      // Part of an entry is applied (an OutOfMemoryError, a bug): this replica's state is suspect
      // and every later entry would build on it. Ratis would only log it and stop applying, leaving
      // a server that answers SERVING and commits nothing; the process's fatal-error handler ends it
      // instead, and the restart replays the log from the last snapshot.
      endProcess(failure);
      throw failure;
    }
    if (tick > lastTick) {
      lastTick = tick;
      ticker.notBefore(tick);
    }
    updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    if (batch.getCommandsCount() > 0) {
      changesSinceSnapshot++;
    }
    List<CompletableFuture<Decision>> callers =
        batch.getOrigin() == origin ? waiting.remove(batch.getBatchId()) : null;
    if (callers != null) {
      replies.execute(() -> {
        for (int i = 0; i < callers.size(); i++) {
          callers.get(i).complete(i < decisions.size() ? decisions.get(i) : null);
        }
      });
    }
    if (!batch.getCommitNotice()) {
      onApplied.run();
    }
    return CompletableFuture.completedFuture(Message.EMPTY);
  }

  /** Says when the group's settings changed, and whether this member's flags differ from them. */
  private void reportSettled(SharedSettings before, long index) {
    SharedSettings now = applied.sharedSettings();
    if (!now.equals(before)) {
      log.atInfo().addKeyValue("logIndex", index).addKeyValue("settings", now)
          .log("the group applies commands with new settings from here on");
    }
    if (!now.equals(configured)) {
      log.atWarn().addKeyValue("logIndex", index).addKeyValue("group", now).addKeyValue("flags", configured)
          .log("this member's flags give other settings than the group's; it applies the group's, as every member "
              + "must (the leader's flags become the group's when it starts to lead)");
    }
  }

  /**
   * Hands {@code failure} to the process's fatal-error handler (installed by Main: it logs, turns
   * health NOT_SERVING and halts); a JVM without one (a test) gets the throw alone.
   */
  private static void endProcess(Throwable failure) {
    Thread.UncaughtExceptionHandler fatal = Thread.getDefaultUncaughtExceptionHandler();
    if (fatal != null) {
      fatal.uncaughtException(Thread.currentThread(), failure);
    }
  }

  /** A batch's origin, its first field (protobuf writes fields in number order); 0 if absent. */
  private static long originOf(java.nio.ByteBuffer batch) throws IOException {
    com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(batch);
    return in.readTag() == ((CommandBatch.ORIGIN_FIELD_NUMBER << 3) | 1) ? in.readFixed64() : 0;
  }

  /**
   * Ratis pauses the machine before it installs a snapshot the leader sent (then {@link #reinitialize}),
   * once for every piece of it: only the first of those pauses.
   */
  @Override
  public void pause() {
    if (getLifeCycle().compareAndTransition(LifeCycle.State.RUNNING, LifeCycle.State.PAUSING)) {
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  /**
   * The leader sent this member a snapshot (it was too far behind the leader's log). A member
   * that has applied nothing yet loads it; one with state of its own cannot swap it in place under
   * readers and subscribers, so it ends as a fatal error and loads the installed snapshot as it
   * restarts.
   */
  @Override
  public void reinitialize() throws IOException {
    SingleFileSnapshotInfo installed = storage.loadLatestSnapshot();
    if (applied.lineageCount() == 0 && applied.lastSequence() == 0) {
      restore(installed);
      getLifeCycle().transition(LifeCycle.State.STARTING);
      getLifeCycle().transition(LifeCycle.State.RUNNING);
      return;
    }
    IllegalStateException restart =
        new IllegalStateException("a snapshot was installed over this member's state: restarting to load it");
    endProcess(restart);
    throw restart;
  }

  /**
   * Snapshots without stopping the log: on the apply thread (between two entries) the state is
   * captured by reference, which takes milliseconds; a thread of its own writes, checksums and
   * fsyncs it. Ratis asks again after every entry while the threshold is passed; until the
   * write is done the answer is the index of the latest snapshot on disk, so Ratis deletes log
   * only behind a snapshot that is durable.
   *
   * <p>Ratis counts every entry towards {@code --snapshot-every}; this counts only those that
   * change the state. Linearizable reads on a group and commit notices are entries without
   * commands: however many there are, the state a snapshot would write again is the same, and
   * their log is a few dozen bytes each (until the next snapshot, Ratis asks after each of them,
   * listing the snapshot directory each time). As the server stops ({@link #stopping}) any new entry
   * is enough, so that a restart loads the state instead of replaying the log.
   */
  @Override
  public long takeSnapshot() {
    TermIndex last = getLastAppliedTermIndex();
    CompletableFuture<Void> current = writing;
    if ((current != null && !current.isDone()) || last == null || last.getIndex() <= writtenIndex
        || (changesSinceSnapshot < snapshotEvery && !stopping)) {
      return writtenIndex;
    }
    changesSinceSnapshot = 0;
    SnapshotCodec.Capture capture = SnapshotCodec.capture(applied, events, lastTick);
    writing = CompletableFuture.runAsync(() -> write(capture, last), snapshotWriter);
    return writtenIndex;
  }

  private void write(SnapshotCodec.Capture capture, TermIndex last) {
    long started = System.nanoTime();
    File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    Path partial = file.toPath().resolveSibling(file.getName() + ".partial");
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      try (FileOutputStream stream = new FileOutputStream(partial.toFile());
          OutputStream out = new BufferedOutputStream(new DigestOutputStream(stream, md5), 1 << 16)) {
        SnapshotCodec.write(capture, out);
        out.flush();
        stream.getFD().sync();
      }
      // Moved into place only when whole and on disk: a crash mid-write leaves the previous one the latest.
      Files.move(partial, file.toPath(), StandardCopyOption.ATOMIC_MOVE);
      MD5Hash digest = new MD5Hash(md5.digest());
      MD5FileUtil.saveMD5File(file, digest);
      try (FileChannel directory = FileChannel.open(file.toPath().getParent(), StandardOpenOption.READ)) {
        directory.force(true); // the rename itself
      }
      storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), digest), last));
      writtenIndex = last.getIndex();
      log.atInfo().addKeyValue("index", last.getIndex()).addKeyValue("bytes", file.length())
          .addKeyValue("millis", (System.nanoTime() - started) / 1_000_000).log("snapshot written");
    } catch (IOException | java.security.NoSuchAlgorithmException | RuntimeException e) {
      // The log still holds everything since the previous snapshot; the next threshold tries again.
      log.atWarn().addKeyValue("index", last.getIndex()).addKeyValue("error", e.toString()).log("snapshot failed");
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // left for the next attempt to overwrite
      }
    }
  }

  /** The server is stopping: the snapshot Ratis asks for as it stops is taken whatever changed. */
  void stopping() {
    stopping = true;
  }

  /** Waits for a snapshot being written (the one Ratis asks for as it stops), then stops the writer. */
  @Override
  public void close() throws IOException {
    CompletableFuture<Void> current = writing;
    if (current != null) {
      try {
        current.get(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        log.atWarn().addKeyValue("error", e.toString()).log("snapshot at stop not finished");
      }
    }
    snapshotWriter.shutdown();
    super.close();
  }

  private void restore(SingleFileSnapshotInfo snapshot) throws IOException {
    if (snapshot == null) {
      return;
    }
    File file = snapshot.getFile().getPath().toFile();
    if (snapshot.getFile().getFileDigest() != null) {
      MD5FileUtil.verifySavedMD5(file, snapshot.getFile().getFileDigest());
    }
    long started = System.nanoTime();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file.toPath()), 1 << 16)) {
      lastTick = SnapshotCodec.read(in, applied, events);
    }
    ticker.notBefore(lastTick);
    TermIndex last = snapshot.getTermIndex();
    updateLastAppliedTermIndex(last.getTerm(), last.getIndex());
    writtenIndex = last.getIndex();
    log.atInfo().addKeyValue("index", last.getIndex()).addKeyValue("lineages", applied.lineageCount())
        .addKeyValue("millis", (System.nanoTime() - started) / 1_000_000).log("snapshot loaded");
  }

  @Override
  public SingleFileSnapshotInfo getLatestSnapshot() {
    return storage.getLatestSnapshot();
  }

  @Override
  public SimpleStateMachineStorage getStateMachineStorage() {
    return storage;
  }
}
