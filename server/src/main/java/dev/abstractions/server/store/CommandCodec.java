package dev.abstractions.server.store;

import dev.abstractions.server.core.Actor;
import dev.abstractions.server.core.Command;
import dev.abstractions.server.core.Decider;
import dev.abstractions.server.core.SharedSettings;
import dev.abstractions.server.core.StructBytes;
import dev.abstractions.server.core.Time;
import dev.abstractions.server.store.format.Abort;
import dev.abstractions.server.store.format.Attach;
import dev.abstractions.server.store.format.Attempt;
import dev.abstractions.server.store.format.Begin;
import dev.abstractions.server.store.format.Commit;
import dev.abstractions.server.store.format.Create;
import dev.abstractions.server.store.format.CreateMember;
import dev.abstractions.server.store.format.Delete;
import dev.abstractions.server.store.format.Execute;
import dev.abstractions.server.store.format.Expire;
import dev.abstractions.server.store.format.KeepAlive;
import dev.abstractions.server.store.format.LoggedCommand;
import dev.abstractions.server.store.format.MemberChange;
import dev.abstractions.server.store.format.NewOperation;
import dev.abstractions.server.store.format.Promote;
import dev.abstractions.server.store.format.Settings;
import dev.abstractions.server.store.format.Update;
import dev.abstractions.server.store.format.UpdateMember;
import dev.abstractions.server.store.format.WriteTree;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Command}s as the durable store writes them to its log ({@code store.proto}), with the
 * {@link RequestKey} of the request they belong to, and back. A command read back equals the
 * command written (every field, including its time, ids and jitter), so a replica or a replay
 * decides exactly what the first application decided.
 */
final class CommandCodec {

  private CommandCodec() {}

  static LoggedCommand encode(Command command, RequestKey request) {
    LoggedCommand.Builder logged = LoggedCommand.newBuilder()
        .setTarget(command.target())
        .setTickNanos(command.time().tickNanos())
        .setWallNanos(command.time().wallNanos());
    if (!request.none()) {
      logged.setRequest(encode(request));
    }
    if (command instanceof Command.Create create) {
      logged.setCreate(Create.newBuilder().setEntityType(create.entityType()).setData(create.data().bytes())
          .setEcsId(create.ecsId()).setParentId(create.parentId()));
    } else if (command instanceof Command.Promote promote) {
      logged.setPromote(Promote.newBuilder().setExpectedTreeVersion(promote.expectedTreeVersion())
          .setEcsSeed(promote.ecsSeed()).setPriority(promote.priority()));
    } else if (command instanceof Command.Settle settle) {
      logged.setSettle(encode(settle.settings()));
    } else if (command instanceof Command.Attach attach) {
      logged.setAttach(Attach.newBuilder().setExpectedTreeVersion(attach.expectedTreeVersion())
          .setParentId(attach.parentId()).setExpectedParentTreeVersion(attach.expectedParentTreeVersion())
          .setPriority(attach.priority()).setEcsSeed(attach.ecsSeed()));
    } else if (command instanceof Command.WriteTree write) {
      WriteTree.Builder tree = WriteTree.newBuilder().setExpectedTreeVersion(write.expectedTreeVersion());
      for (Command.MemberChange change : write.changes()) {
        tree.addChanges(encode(change));
      }
      logged.setWriteTree(tree);
    } else if (command instanceof Command.Update update) {
      logged.setUpdate(Update.newBuilder().setExpectedVersion(update.expectedVersion()).setData(update.data().bytes())
          .setEcsId(update.ecsId()));
    } else if (command instanceof Command.Delete delete) {
      logged.setDelete(Delete.newBuilder().setExpectedVersion(delete.expectedVersion()).setEcsId(delete.ecsId()));
    } else if (command instanceof Command.Begin begin) {
      logged.setBegin(Begin.newBuilder().setOperation(encode(begin.operation()))
          .setWaitUntilTick(begin.waitUntilTick()));
    } else if (command instanceof Command.Commit commit) {
      Commit.Builder offered = Commit.newBuilder().setOpId(commit.opId()).setData(commit.data().bytes())
          .setEcsId(commit.ecsId()).setJitter(commit.jitter()).setActor(encode(commit.actor()));
      commit.treeChanges().forEach(change -> offered.addTreeChanges(encode(change)));
      logged.setCommit(offered);
    } else if (command instanceof Command.Execute execute) {
      logged.setExecute(Execute.newBuilder().setOperation(encode(execute.operation()))
          .setFunction(execute.function()).setArgs(execute.args()).setMemberId(execute.memberId())
          .setEcsId(execute.ecsId())
          .setJitter(execute.jitter()));
    } else if (command instanceof Command.Attempt attempt) {
      logged.setAttempt(Attempt.newBuilder().setOpId(attempt.opId()).setFunction(attempt.function())
          .setArgs(attempt.args()).setMemberId(attempt.memberId()).setEcsId(attempt.ecsId()).setJitter(attempt.jitter()));
    } else if (command instanceof Command.Abort abort) {
      logged.setAbort(Abort.newBuilder().setOpId(abort.opId()).setActor(encode(abort.actor())));
    } else if (command instanceof Command.KeepAlive keepAlive) {
      logged.setKeepAlive(KeepAlive.newBuilder().setOpId(keepAlive.opId()).setActor(encode(keepAlive.actor())));
    } else if (command instanceof Command.Expire) {
      logged.setExpire(Expire.getDefaultInstance());
    } else {
      throw new IllegalArgumentException("no log form for " + command.getClass().getSimpleName());
    }
    return logged.build();
  }

  static Command decode(LoggedCommand logged) {
    String target = logged.getTarget();
    Time time = new Time(logged.getTickNanos(), logged.getWallNanos());
    switch (logged.getKindCase()) {
      case CREATE: {
        Create create = logged.getCreate();
        return new Command.Create(target, create.getParentId(), create.getEntityType(),
            new StructBytes(create.getData()), create.getEcsId(), time);
      }
      case PROMOTE: {
        Promote promote = logged.getPromote();
        // Logged before structural changes had a priority: they were plain writes then.
        int priority = promote.getPriority() == 0 ? Decider.PLAIN_WRITE_PRIORITY : promote.getPriority();
        return new Command.Promote(target, promote.getExpectedTreeVersion(), priority, promote.getEcsSeed(), time);
      }
      case SETTLE:
        return new Command.Settle(decode(logged.getSettle()), time);
      case ATTACH: {
        Attach attach = logged.getAttach();
        return new Command.Attach(target, attach.getExpectedTreeVersion(), attach.getParentId(),
            attach.getExpectedParentTreeVersion(), attach.getPriority(), attach.getEcsSeed(), time);
      }
      case WRITE_TREE: {
        List<Command.MemberChange> changes = new ArrayList<>(logged.getWriteTree().getChangesCount());
        for (MemberChange change : logged.getWriteTree().getChangesList()) {
          changes.add(decode(change));
        }
        return new Command.WriteTree(target, logged.getWriteTree().getExpectedTreeVersion(), changes, time);
      }
      case UPDATE: {
        Update update = logged.getUpdate();
        return new Command.Update(target, update.getExpectedVersion(), new StructBytes(update.getData()),
            update.getEcsId(), time);
      }
      case DELETE:
        return new Command.Delete(target, logged.getDelete().getExpectedVersion(), logged.getDelete().getEcsId(),
            time);
      case BEGIN:
        return new Command.Begin(target, decode(logged.getBegin().getOperation()),
            logged.getBegin().getWaitUntilTick(), time);
      case COMMIT: {
        Commit commit = logged.getCommit();
        List<Command.MemberChange> changes = new ArrayList<>(commit.getTreeChangesCount());
        commit.getTreeChangesList().forEach(change -> changes.add(decode(change)));
        return new Command.Commit(target, commit.getOpId(), new StructBytes(commit.getData()), changes,
            commit.getEcsId(), commit.getJitter(), decode(commit.getActor()), time);
      }
      case EXECUTE: {
        Execute execute = logged.getExecute();
        return new Command.Execute(target, decode(execute.getOperation()), execute.getFunction(), execute.getArgs(),
            execute.getMemberId(),
            execute.getEcsId(), execute.getJitter(), time);
      }
      case ATTEMPT: {
        Attempt attempt = logged.getAttempt();
        return new Command.Attempt(target, attempt.getOpId(), attempt.getFunction(), attempt.getArgs(),
            attempt.getMemberId(),
            attempt.getEcsId(), attempt.getJitter(), time);
      }
      case ABORT:
        return new Command.Abort(target, logged.getAbort().getOpId(), decode(logged.getAbort().getActor()), time);
      case KEEP_ALIVE:
        return new Command.KeepAlive(target, logged.getKeepAlive().getOpId(),
            decode(logged.getKeepAlive().getActor()), time);
      case EXPIRE:
        return new Command.Expire(target, time);
      default:
        // Written by a newer server: applying it as anything else would fork this replica's state.
        throw new IllegalStateException("the log holds a command this server does not know (fields "
            + logged.getUnknownFields().asMap().keySet() + "): a newer server wrote it; run that version or a later one"
            + " on this data directory");
    }
  }

  private static MemberChange encode(Command.MemberChange change) {
    MemberChange.Builder logged = MemberChange.newBuilder().setLineageId(change.lineageId())
        .setEcsId(change.ecsId());
    if (change instanceof Command.MemberChange.Create create) {
      logged.setCreate(CreateMember.newBuilder().setParentId(create.parentId()).setEntityType(create.entityType())
          .setData(create.data().bytes()));
    } else if (change instanceof Command.MemberChange.Update update) {
      logged.setUpdate(UpdateMember.newBuilder().setExpectedVersion(update.expectedVersion())
          .setData(update.data().bytes()));
    } else {
      logged.setDeleteExpectedVersion(((Command.MemberChange.Delete) change).expectedVersion());
    }
    return logged.build();
  }

  private static Command.MemberChange decode(MemberChange change) {
    return switch (change.getKindCase()) {
      case CREATE -> new Command.MemberChange.Create(change.getLineageId(), change.getCreate().getParentId(),
          change.getCreate().getEntityType(), new StructBytes(change.getCreate().getData()), change.getEcsId());
      case UPDATE -> new Command.MemberChange.Update(change.getLineageId(), change.getUpdate().getExpectedVersion(),
          new StructBytes(change.getUpdate().getData()), change.getEcsId());
      case DELETE_EXPECTED_VERSION -> new Command.MemberChange.Delete(change.getLineageId(),
          change.getDeleteExpectedVersion(), change.getEcsId());
      default -> throw new IllegalStateException("unknown member change in the log: " + change.getKindCase());
    };
  }

  /** The request a logged command belongs to ({@link RequestKey#NONE} if it named no request_id). */
  static RequestKey request(LoggedCommand logged) {
    return logged.hasRequest() ? decode(logged.getRequest()) : RequestKey.NONE;
  }

  static dev.abstractions.server.store.format.RequestKey encode(RequestKey request) {
    return dev.abstractions.server.store.format.RequestKey.newBuilder().setMethod(request.method())
        .setId(request.id()).setFingerprint(request.fingerprint()).build();
  }

  static RequestKey decode(dev.abstractions.server.store.format.RequestKey request) {
    return new RequestKey(request.getMethod(), request.getId(), request.getFingerprint());
  }

  static dev.abstractions.server.store.format.Actor encode(Actor actor) {
    return dev.abstractions.server.store.format.Actor.newBuilder().setId(actor.id())
        .setAuthenticated(actor.authenticated()).setAdmin(actor.admin()).build();
  }

  static Actor decode(dev.abstractions.server.store.format.Actor actor) {
    return new Actor(actor.getId(), actor.getAuthenticated(), actor.getAdmin());
  }

  private static NewOperation encode(Command.NewOperation op) {
    return NewOperation.newBuilder().setOpId(op.opId()).setOpType(op.opType()).setPriorityClass(op.priorityClass())
        .setPriority(op.priority()).setMaxRetries(op.maxRetries()).setParentOpId(op.parentOpId())
        .setEffectivePriority(op.effectivePriority()).setDepth(op.depth()).setTtlNanos(op.ttlNanos())
        .setCreatedAtNs(op.createdAtNs()).setOwner(encode(op.owner())).build();
  }

  private static Command.NewOperation decode(NewOperation op) {
    return new Command.NewOperation(op.getOpId(), op.getOpType(), op.getPriorityClass(), op.getPriority(),
        op.getMaxRetries(), op.getParentOpId(), op.getEffectivePriority(), op.getDepth(), op.getTtlNanos(),
        op.getCreatedAtNs(), decode(op.getOwner()));
  }

  static Settings encode(SharedSettings settings) {
    Decider.Settings decision = settings.decision();
    return Settings.newBuilder().setMaxEntityBytes(decision.maxEntityBytes())
        .setMaxOperationsPerTarget(decision.maxOperationsPerTarget())
        .setMaxOperationsPerActor(decision.maxOperationsPerActor()).setGateLeaseNanos(decision.gateLeaseNanos())
        .setMaxTreeMembers(decision.treeLimits().maxMembers()).setMaxTreeBytes(decision.treeLimits().maxBytes())
        .setRequestRetention(settings.requestRetention()).setRequestRetentionNanos(settings.requestRetentionNanos())
        .setRequestLedgerBytes(settings.requestLedgerBytes()).build();
  }

  static SharedSettings decode(Settings settings) {
    return new SharedSettings(new Decider.Settings(settings.getMaxEntityBytes(), settings.getMaxOperationsPerTarget(),
        settings.getMaxOperationsPerActor(), settings.getGateLeaseNanos(),
        new Decider.TreeLimits(settings.getMaxTreeMembers(), settings.getMaxTreeBytes())),
        settings.getRequestRetention(), settings.getRequestRetentionNanos(), settings.getRequestLedgerBytes());
  }
}
