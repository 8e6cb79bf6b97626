package dev.abstractions.server.store;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.abstractions.server.core.AdvancingTicker;
import dev.abstractions.server.core.Command;
import dev.abstractions.server.core.Decision;
import dev.abstractions.server.events.EventLog;
import dev.abstractions.server.store.format.CommandBatch;
import dev.abstractions.server.store.format.LoggedCommand;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
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
  /** Kept ahead of every tick applied or restored. */
  private final AdvancingTicker ticker;
  /** The highest command tick applied or restored; on the apply thread only. */
  private long lastTick = Long.MIN_VALUE;

  StoreStateMachine(InMemoryEntityStore applied, EventLog events, AdvancingTicker ticker, long origin,
      Executor replies) {
    this.applied = applied;
    this.events = events;
    this.ticker = ticker;
    this.origin = origin;
    this.replies = replies;
  }

  /** Registers the callers of a batch before it is proposed. */
  void awaitBatch(long batchId, List<CompletableFuture<Decision>> callers) {
    waiting.put(batchId, callers);
  }

  /** The batch will not be applied by this process's hand (its proposal failed): its callers are the caller's. */
  List<CompletableFuture<Decision>> forgetBatch(long batchId) {
    return waiting.remove(batchId);
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    restore(storage.getLatestSnapshot());
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
        decisions.add(applied.applyNow(command));
      }
    } catch (Throwable failure) {
      // Part of an entry is applied (an OutOfMemoryError, a bug): this replica's state is suspect
      // and every later entry would build on it. Ratis would only log it and stop applying, leaving
      // a server that answers SERVING and commits nothing; the process's fatal-error handler ends it
      // instead, and the restart replays the log from the last snapshot.
      Thread.UncaughtExceptionHandler fatal = Thread.getDefaultUncaughtExceptionHandler();
      if (fatal != null) {
        fatal.uncaughtException(Thread.currentThread(), failure);
      }
      throw failure;
    }
    if (tick > lastTick) {
      lastTick = tick;
      ticker.notBefore(tick);
    }
    updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    List<CompletableFuture<Decision>> callers =
        batch.getOrigin() == origin ? waiting.remove(batch.getBatchId()) : null;
    if (callers != null) {
      replies.execute(() -> {
        for (int i = 0; i < callers.size(); i++) {
          callers.get(i).complete(decisions.get(i));
        }
      });
    }
    return CompletableFuture.completedFuture(Message.EMPTY);
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() < 0) {
      return -1;
    }
    long started = System.nanoTime();
    File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    Path partial = file.toPath().resolveSibling(file.getName() + ".partial");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)) {
      SnapshotCodec.write(applied, events, lastTick, out);
    }
    // Moved into place only when whole: a crash mid-write leaves the previous snapshot the latest.
    Files.move(partial, file.toPath(), StandardCopyOption.ATOMIC_MOVE);
    FileInfo info = new FileInfo(file.toPath(), MD5FileUtil.computeAndSaveMd5ForFile(file));
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(info, last));
    log.atInfo().addKeyValue("index", last.getIndex()).addKeyValue("bytes", file.length())
        .addKeyValue("millis", (System.nanoTime() - started) / 1_000_000).log("snapshot taken");
    return last.getIndex();
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
