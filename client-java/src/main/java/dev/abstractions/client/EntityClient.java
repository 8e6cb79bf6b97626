package dev.abstractions.client;

import com.google.protobuf.Struct;
import dev.abstractions.api.v1.AttachTreeRequest;
import dev.abstractions.api.v1.AttachTreeResponse;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.DeleteEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityHistoryRequest;
import dev.abstractions.api.v1.EntityHistoryResponse;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.GetTreeRequest;
import dev.abstractions.api.v1.GetTreeResponse;
import dev.abstractions.api.v1.ListEntitiesRequest;
import dev.abstractions.api.v1.ListEntitiesResponse;
import dev.abstractions.api.v1.PromoteTreeMemberRequest;
import dev.abstractions.api.v1.PromoteTreeMemberResponse;
import dev.abstractions.api.v1.TreeChange;
import dev.abstractions.api.v1.TreeHistoryRequest;
import dev.abstractions.api.v1.TreeHistoryResponse;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.api.v1.WriteTreeRequest;
import dev.abstractions.api.v1.WriteTreeResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A client for {@code EntityService}, each call in a blocking form and an async form ({@code
 * ...Async}, a {@link CompletableFuture} completed on a gRPC callback thread). Refusals surface as
 * {@link EntityServiceException}s, thrown by the blocking forms and completing the async ones
 * exceptionally ({@link VersionConflictException} when a compare-and-set loses, {@link
 * TreeVersionConflictException} when a tree write's does, {@link EntityNotFoundException} for an
 * unknown or deleted lineage, {@link AccessDeniedException} without a valid token). Thread-safe:
 * share one client.
 *
 * <p>Entity trees: every entity is in one tree, whose root's lineage is its identity and conflict
 * domain; {@link #createMember} adds a member under another, {@link #writeTree} changes several
 * members at once against the tree version read, {@link #getTree} reads a whole tree at one tree
 * version, {@link #treeHistory} lists its versions, {@link #updateTree} is the read-modify-write
 * loop over them, and {@link #promoteTreeMember} and {@link #attachTree} move a subtree out of a
 * tree and a whole tree under another's member. {@link #updateTreeAsync} waits between its attempts
 * on the scheduler of the {@link AbstractionsClient} this client belongs to ({@link
 * AbstractionsClient#entities()}); a client made by {@link #connect} or {@link #using} owns no
 * thread and has no such form.
 */
public final class EntityClient implements AutoCloseable {

  /**
   * Members per page of {@link #getTree}: the most the server allows, so a whole-tree read takes as
   * few calls as it can; the server also ends a page before 3 MiB, within gRPC's 4 MiB message bound.
   */
  private static final int TREE_PAGE_SIZE = 1000;

  private final ManagedChannel channel;
  private final boolean ownsChannel;
  /** The owning AbstractionsClient's, which {@link #updateTreeAsync} waits on; null for a client of its own. */
  private final ScheduledExecutorService scheduler;
  private final EntityServiceGrpc.EntityServiceBlockingStub entities;
  private final EntityServiceGrpc.EntityServiceStub async;
  /** Whether get, list, history and the tree reads ask for serializable reads ({@link #serializable()}). */
  private final boolean serializable;

  private EntityClient(ManagedChannel channel, boolean ownsChannel, ScheduledExecutorService scheduler,
      boolean serializable) {
    this.channel = channel;
    this.ownsChannel = ownsChannel;
    this.scheduler = scheduler;
    this.serializable = serializable;
    this.entities = EntityServiceGrpc.newBlockingStub(channel);
    this.async = EntityServiceGrpc.newStub(channel);
  }

  /** Connects in plaintext to {@code target}, e.g. {@code localhost:8980}. */
  public static EntityClient connect(String target) {
    return new EntityClient(NettyChannelBuilder.forTarget(target).usePlaintext().build(), true, null, false);
  }

  /** Uses a channel the caller owns and closes. */
  public static EntityClient using(ManagedChannel channel) {
    return new EntityClient(channel, false, null, false);
  }

  /** The client of an {@link AbstractionsClient}: its channel, and its scheduler to wait on. */
  static EntityClient using(ManagedChannel channel, ScheduledExecutorService scheduler) {
    return new EntityClient(channel, false, Objects.requireNonNull(scheduler, "scheduler"), false);
  }

  /**
   * This client with serializable reads: its get, list, history and tree reads are answered from
   * the state the server they reach has applied, without asking the leader of a replicated group
   * (etcd's serializable reads). Cheaper, and answered even by a member cut off from its quorum,
   * but they may miss writes that member has not applied yet; a single server applies every write
   * it acknowledges before answering, so there they read the same. Writes are unchanged (an {@link
   * #updateTree} that read a stale tree loses its write's compare-and-set and reads again). It
   * shares this client's channel: closing it closes nothing.
   */
  public EntityClient serializable() {
    return new EntityClient(channel, false, scheduler, true);
  }

  /** Creates version 1 with a server-assigned lineage id. */
  public Entity create(String entityType, Struct data) {
    return create("", entityType, data);
  }

  /** Creates version 1 of {@code lineageId}. */
  public Entity create(String lineageId, String entityType, Struct data) {
    return call(() -> entities.create(createRequest(lineageId, entityType, data)));
  }

  /** {@link #create(String, Struct)} without blocking. */
  public CompletableFuture<Entity> createAsync(String entityType, Struct data) {
    return createAsync("", entityType, data);
  }

  /** {@link #create(String, String, Struct)} without blocking. */
  public CompletableFuture<Entity> createAsync(String lineageId, String entityType, Struct data) {
    return AsyncCalls.unary(async::create, createRequest(lineageId, entityType, data));
  }

  /**
   * Creates version 1 of a new member of the tree {@code parentLineageId} belongs to, under it,
   * with a server-assigned lineage id. The tree's version goes up by 1.
   *
   * @throws IllegalArgumentException if {@code parentLineageId} is empty ({@link #create} makes a
   *     new root)
   */
  public Entity createMember(String parentLineageId, String entityType, Struct data) {
    return createMember(parentLineageId, "", entityType, data);
  }

  /** {@link #createMember(String, String, Struct)} of the lineage {@code lineageId}. */
  public Entity createMember(String parentLineageId, String lineageId, String entityType, Struct data) {
    return call(() -> entities.create(memberRequest(parentLineageId, lineageId, entityType, data)));
  }

  /** {@link #createMember(String, String, Struct)} without blocking. */
  public CompletableFuture<Entity> createMemberAsync(String parentLineageId, String entityType, Struct data) {
    return createMemberAsync(parentLineageId, "", entityType, data);
  }

  /** {@link #createMember(String, String, String, Struct)} without blocking. */
  public CompletableFuture<Entity> createMemberAsync(String parentLineageId, String lineageId, String entityType,
      Struct data) {
    return AsyncCalls.unary(async::create, memberRequest(parentLineageId, lineageId, entityType, data));
  }

  /** The latest version. */
  public Entity get(String lineageId) {
    return get(lineageId, 0);
  }

  /** The given version (0 for the latest). */
  public Entity get(String lineageId, long version) {
    return call(() -> entities.get(getRequest(lineageId, version)));
  }

  /** {@link #get(String)} without blocking. */
  public CompletableFuture<Entity> getAsync(String lineageId) {
    return getAsync(lineageId, 0);
  }

  /** {@link #get(String, long)} without blocking. */
  public CompletableFuture<Entity> getAsync(String lineageId, long version) {
    return AsyncCalls.unary(async::get, getRequest(lineageId, version));
  }

  /**
   * Replaces the data if {@code expectedVersion} is still the latest.
   *
   * @throws VersionConflictException if it is not, carrying the latest version
   */
  public Entity update(String lineageId, long expectedVersion, Struct data) {
    return call(() -> entities.update(updateRequest(lineageId, expectedVersion, data)));
  }

  /** {@link #update(String, long, Struct)} without blocking. */
  public CompletableFuture<Entity> updateAsync(String lineageId, long expectedVersion, Struct data) {
    return AsyncCalls.unary(async::update, updateRequest(lineageId, expectedVersion, data));
  }

  /** Writes the tombstone if {@code expectedVersion} is still the latest. */
  public Entity delete(String lineageId, long expectedVersion) {
    return call(() -> entities.delete(deleteRequest(lineageId, expectedVersion)));
  }

  /** {@link #delete(String, long)} without blocking. */
  public CompletableFuture<Entity> deleteAsync(String lineageId, long expectedVersion) {
    return AsyncCalls.unary(async::delete, deleteRequest(lineageId, expectedVersion));
  }

  /** One page of live entities of a type; pass "" as the first page token. */
  public ListEntitiesResponse list(String entityType, int pageSize, String pageToken) {
    return call(() -> entities.list(listRequest(entityType, pageSize, pageToken)));
  }

  /** {@link #list(String, int, String)} without blocking. */
  public CompletableFuture<ListEntitiesResponse> listAsync(String entityType, int pageSize, String pageToken) {
    return AsyncCalls.unary(async::list, listRequest(entityType, pageSize, pageToken));
  }

  /** One page of a lineage's retained versions, oldest first; pass "" as the first page token. */
  public EntityHistoryResponse history(String lineageId, int pageSize, String pageToken) {
    return call(() -> entities.history(historyRequest(lineageId, pageSize, pageToken)));
  }

  /** {@link #history(String, int, String)} without blocking. */
  public CompletableFuture<EntityHistoryResponse> historyAsync(String lineageId, int pageSize, String pageToken) {
    return AsyncCalls.unary(async::history, historyRequest(lineageId, pageSize, pageToken));
  }

  // ---- entity trees ----

  /**
   * Applies {@code changes} (see {@link TreeChanges}) to the tree of {@code rootLineageId}, all or
   * nothing, if {@code expectedTreeVersion} is still its version; the tree version goes up by 1.
   *
   * @return the new tree version and the versions written, in the order of the changes
   * @throws TreeVersionConflictException if the tree moved on, carrying its current tree version
   * @throws EntityServiceException for the other refusals, {@link EntityServiceException#reason()}
   *     telling which: {@code NOT_A_ROOT}, {@code NOT_IN_TREE}, {@code MEMBER_HAS_CHILDREN}, {@code
   *     TREE_LIMIT}, ... with the details in {@link EntityServiceException#metadata()}
   */
  public WriteTreeResponse writeTree(String rootLineageId, long expectedTreeVersion, List<TreeChange> changes) {
    return call(() -> entities.writeTree(writeTreeRequest(rootLineageId, expectedTreeVersion, changes)));
  }

  /** {@link #writeTree(String, long, List)} without blocking. */
  public CompletableFuture<WriteTreeResponse> writeTreeAsync(String rootLineageId, long expectedTreeVersion,
      List<TreeChange> changes) {
    return AsyncCalls.unary(async::writeTree, writeTreeRequest(rootLineageId, expectedTreeVersion, changes));
  }

  /**
   * Makes the member {@code lineageId}, with every live member under it, a tree of its own, if its
   * tree is still at {@code expectedTreeVersion}: both trees are then at that version + 1.
   * Arbitrated on the tree at the STRUCTURAL class's priority, 10 ({@link
   * #promoteTreeMember(String, long, int)} names another).
   *
   * @return the tree it left, the new tree version, and the versions written (the member it was
   *     under, the new root, the members that moved with it)
   * @throws TreeVersionConflictException if the tree moved on, carrying its current tree version
   * @throws GateHeldException if an operation of higher priority holds the tree's gate ({@code
   *     PREEMPTED}) or one of equal priority does ({@code GATE_HELD}, with its retry_after)
   * @throws EntityServiceException {@code ALREADY_A_ROOT} for a root, and the other refusals
   */
  public PromoteTreeMemberResponse promoteTreeMember(String lineageId, long expectedTreeVersion) {
    return call(() -> entities.promoteTreeMember(promoteRequest(lineageId, expectedTreeVersion, 0)));
  }

  /**
   * {@link #promoteTreeMember(String, long)} arbitrated at {@code priority}, 1 to 10, as an
   * anonymous operation of that priority would be.
   *
   * @throws IllegalArgumentException if {@code priority} is not 1 to 10 (nothing is sent)
   */
  public PromoteTreeMemberResponse promoteTreeMember(String lineageId, long expectedTreeVersion, int priority) {
    PromoteTreeMemberRequest request = promoteRequest(lineageId, expectedTreeVersion, checkPriority(priority));
    return call(() -> entities.promoteTreeMember(request));
  }

  /** {@link #promoteTreeMember(String, long)} without blocking. */
  public CompletableFuture<PromoteTreeMemberResponse> promoteTreeMemberAsync(String lineageId,
      long expectedTreeVersion) {
    return AsyncCalls.unary(async::promoteTreeMember, promoteRequest(lineageId, expectedTreeVersion, 0));
  }

  /** {@link #promoteTreeMember(String, long, int)} without blocking. */
  public CompletableFuture<PromoteTreeMemberResponse> promoteTreeMemberAsync(String lineageId,
      long expectedTreeVersion, int priority) {
    return AsyncCalls.unary(async::promoteTreeMember,
        promoteRequest(lineageId, expectedTreeVersion, checkPriority(priority)));
  }

  /**
   * Puts the root {@code lineageId}, with every live member of its tree, under {@code
   * parentLineageId} (a member, or the root, of another tree), if its tree is still at {@code
   * expectedTreeVersion} and the parent's at {@code expectedParentTreeVersion}: one atomic step that
   * writes a new version of the parent (its data unchanged), of the attached root (now under the
   * parent, in the parent's tree) and of each member that moved with it. Both trees are then at one
   * more than the larger of the two versions. Arbitrated on both trees at the STRUCTURAL class's
   * priority, 10 ({@link #attachTree(String, long, String, long, int)} names another).
   *
   * @return the root of the tree it joined, the tree version both are at, and the versions written
   *     (the parent, the attached root, then the members that moved with it)
   * @throws TreeVersionConflictException if either tree moved on, carrying that tree's root and
   *     current tree version
   * @throws EntityNotFoundException for an unknown or deleted root or parent
   * @throws GateHeldException if an operation holds either tree's gate, as for {@link
   *     #promoteTreeMember}
   * @throws EntityServiceException with code FAILED_PRECONDITION and reason {@code NOT_A_ROOT} if
   *     {@code lineageId} is a member (metadata {@code root_lineage_id} names its root), or {@code
   *     TREE_CYCLE} if the parent is in {@code lineageId}'s own tree (metadata {@code lineage_id},
   *     {@code parent_lineage_id}); RESOURCE_EXHAUSTED {@code TREE_LIMIT} if the joined tree would
   *     pass the server's limits
   */
  public AttachTreeResponse attachTree(String lineageId, long expectedTreeVersion, String parentLineageId,
      long expectedParentTreeVersion) {
    AttachTreeRequest request =
        attachRequest(lineageId, expectedTreeVersion, parentLineageId, expectedParentTreeVersion, 0);
    return call(() -> entities.attachTree(request));
  }

  /**
   * {@link #attachTree(String, long, String, long)} arbitrated at {@code priority}, 1 to 10, on both
   * trees.
   *
   * @throws IllegalArgumentException if {@code priority} is not 1 to 10 (nothing is sent)
   */
  public AttachTreeResponse attachTree(String lineageId, long expectedTreeVersion, String parentLineageId,
      long expectedParentTreeVersion, int priority) {
    AttachTreeRequest request = attachRequest(lineageId, expectedTreeVersion, parentLineageId,
        expectedParentTreeVersion, checkPriority(priority));
    return call(() -> entities.attachTree(request));
  }

  /** {@link #attachTree(String, long, String, long)} without blocking. */
  public CompletableFuture<AttachTreeResponse> attachTreeAsync(String lineageId, long expectedTreeVersion,
      String parentLineageId, long expectedParentTreeVersion) {
    return AsyncCalls.unary(async::attachTree,
        attachRequest(lineageId, expectedTreeVersion, parentLineageId, expectedParentTreeVersion, 0));
  }

  /** {@link #attachTree(String, long, String, long, int)} without blocking. */
  public CompletableFuture<AttachTreeResponse> attachTreeAsync(String lineageId, long expectedTreeVersion,
      String parentLineageId, long expectedParentTreeVersion, int priority) {
    return AsyncCalls.unary(async::attachTree, attachRequest(lineageId, expectedTreeVersion, parentLineageId,
        expectedParentTreeVersion, checkPriority(priority)));
  }

  /** The tree of {@code rootLineageId} at its latest tree version. */
  public Tree getTree(String rootLineageId) {
    return getTree(rootLineageId, 0);
  }

  /**
   * The tree of {@code rootLineageId} at {@code treeVersion} (0 for the latest): every page of it,
   * each at the tree version of the first, so the members are one consistent state of the tree
   * however many writes land while it is read.
   *
   * @throws EntityServiceException with reason {@code NOT_A_ROOT} for a member that is not the root
   *     (metadata {@code root_lineage_id} names it), {@link EntityNotFoundException} for a tree
   *     version never reached or a deleted root, code OUT_OF_RANGE for a tree version no longer
   *     retained
   */
  public Tree getTree(String rootLineageId, long treeVersion) {
    GetTreeResponse first = getTreePage(rootLineageId, treeVersion, TREE_PAGE_SIZE, "");
    List<Entity> members = new ArrayList<>(first.getMembersList());
    GetTreeResponse page = first;
    while (!page.getNextPageToken().isEmpty()) {
      String token = page.getNextPageToken();
      page = sameTreeVersion(first, getTreePage(rootLineageId, first.getTreeVersion(), TREE_PAGE_SIZE, token));
      members.addAll(page.getMembersList());
    }
    return Tree.read(first, members);
  }

  /** {@link #getTree(String)} without blocking. */
  public CompletableFuture<Tree> getTreeAsync(String rootLineageId) {
    return getTreeAsync(rootLineageId, 0);
  }

  /** {@link #getTree(String, long)} without blocking; the pages are read one after the other. */
  public CompletableFuture<Tree> getTreeAsync(String rootLineageId, long treeVersion) {
    return AsyncCalls.unaryThenCompose(async::getTree, getTreeRequest(rootLineageId, treeVersion, TREE_PAGE_SIZE, ""),
        first -> restOfTree(first, first, new ArrayList<>(first.getMembersList())));
  }

  /** Reads the pages after {@code page} into {@code members}, then the tree; on gRPC callback threads. */
  private CompletableFuture<Tree> restOfTree(GetTreeResponse first, GetTreeResponse page, List<Entity> members) {
    if (page.getNextPageToken().isEmpty()) {
      return CompletableFuture.completedFuture(Tree.read(first, members));
    }
    GetTreeRequest next = getTreeRequest(first.getRootLineageId(), first.getTreeVersion(), TREE_PAGE_SIZE,
        page.getNextPageToken());
    return AsyncCalls.unaryThenCompose(async::getTree, next, nextPage -> {
      members.addAll(sameTreeVersion(first, nextPage).getMembersList());
      return restOfTree(first, nextPage, members);
    });
  }

  /**
   * One page of the tree of {@code rootLineageId} at {@code treeVersion} (0 for the latest), {@code
   * pageSize} members at most (0 for the server's default); pass "" as the first page token. Pages
   * read with the tokens of one read stay at the tree version of its first page.
   */
  public GetTreeResponse getTreePage(String rootLineageId, long treeVersion, int pageSize, String pageToken) {
    return call(() -> entities.getTree(getTreeRequest(rootLineageId, treeVersion, pageSize, pageToken)));
  }

  /** {@link #getTreePage(String, long, int, String)} without blocking. */
  public CompletableFuture<GetTreeResponse> getTreePageAsync(String rootLineageId, long treeVersion, int pageSize,
      String pageToken) {
    return AsyncCalls.unary(async::getTree, getTreeRequest(rootLineageId, treeVersion, pageSize, pageToken));
  }

  /**
   * One page of the retained tree versions of {@code rootLineageId}, oldest first, each with the
   * member versions it wrote; pass "" as the first page token and 0 for the default page size.
   */
  public TreeHistoryResponse treeHistory(String rootLineageId, int pageSize, String pageToken) {
    return call(() -> entities.treeHistory(treeHistoryRequest(rootLineageId, pageSize, pageToken)));
  }

  /** {@link #treeHistory(String, int, String)} without blocking. */
  public CompletableFuture<TreeHistoryResponse> treeHistoryAsync(String rootLineageId, int pageSize,
      String pageToken) {
    return AsyncCalls.unary(async::treeHistory, treeHistoryRequest(rootLineageId, pageSize, pageToken));
  }

  /**
   * Changes the tree of {@code rootLineageId} by what {@code fn} computes from it, recomputing on
   * conflict: reads the whole tree ({@link #getTree(String)}, as this client reads), calls {@code
   * fn} on it, and writes the changes it returns against the tree version read. When another write
   * landed in the tree in between ({@link TreeVersionConflictException}), it waits, reads the tree
   * again and calls {@code fn} again on it: {@code fn} may run several times, on the caller's
   * thread, and must not have effects beyond its result. If {@code fn} returns no changes, nothing
   * is written.
   *
   * <p>The retry policy, the same in every client of this server: at most 50 attempts; before
   * retry {@code n} (1 for the second attempt) a wait drawn uniformly from 0 to {@code min(100 ms,
   * 2 ms * 2^(n-1))} ("full jitter", so writers that collided spread out; 4.4 s in all at most).
   * Only {@code TREE_VERSION_CONFLICT} is retried.
   *
   * @return the tree as written (what {@link #getTree(String, long)} reads at its new tree
   *     version), or the tree as read when {@code fn} returned no changes
   * @throws TreeVersionConflictException if all 50 attempts lost to other writes
   * @throws EntityServiceException for any other refusal, at once (e.g. {@code NOT_IN_TREE} for a
   *     change naming an entity of another tree, {@link GateHeldException} while an operation holds
   *     the tree's gate); an interrupt while waiting to retry throws one with code CANCELLED
   * @throws RuntimeException whatever {@code fn} throws, with nothing written
   */
  public Tree updateTree(String rootLineageId, Function<Tree, List<TreeChange>> fn) {
    Objects.requireNonNull(fn, "fn");
    Backoff backoff = Backoff.TREE_UPDATES;
    for (int attempt = 1; ; attempt++) {
      Tree tree = getTree(rootLineageId);
      List<TreeChange> changes = Objects.requireNonNull(fn.apply(tree), "fn returned null");
      if (changes.isEmpty()) {
        return tree;
      }
      try {
        return tree.after(writeTree(rootLineageId, tree.treeVersion(), changes));
      } catch (TreeVersionConflictException conflict) {
        if (attempt == backoff.maxAttempts()) {
          throw conflict;
        }
        try {
          TimeUnit.NANOSECONDS.sleep(backoff.beforeRetry(attempt).toNanos());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          EntityServiceException cancelled = ServerErrors.translate(Status.CANCELLED
              .withDescription("interrupted while waiting to update tree " + rootLineageId + " again")
              .withCause(e).asRuntimeException());
          cancelled.addSuppressed(conflict);
          throw cancelled;
        }
      }
    }
  }

  /**
   * {@link #updateTree} without blocking a thread: the same reads, writes and retry policy, the
   * future completing with the tree as written (or as read, when {@code fn} returned no changes),
   * or exceptionally with what {@code updateTree} throws ({@code fn}'s own exception unwrapped).
   * {@code fn} runs on a gRPC callback thread, never on the caller's, so it should be quick and
   * must not block; the waits between attempts are timed on the owning {@link
   * AbstractionsClient}'s scheduler, and a retry due after that client is closed fails with an
   * {@link IllegalStateException}. Cancelling the future does not stop an attempt in flight.
   *
   * @throws IllegalStateException if this client is not an {@link AbstractionsClient}'s (made by
   *     {@link #connect} or {@link #using}, it has no thread to wait on)
   */
  public CompletableFuture<Tree> updateTreeAsync(String rootLineageId, Function<Tree, List<TreeChange>> fn) {
    Objects.requireNonNull(fn, "fn");
    if (scheduler == null) {
      throw new IllegalStateException("updateTreeAsync waits on an AbstractionsClient's scheduler; use "
          + "AbstractionsClient.entities() instead of a client made by EntityClient.connect or using");
    }
    return treeAttempt(rootLineageId, fn, 1);
  }

  /** One attempt of {@link #updateTreeAsync}: read, compute and write, then retry on a conflict. */
  private CompletableFuture<Tree> treeAttempt(String rootLineageId, Function<Tree, List<TreeChange>> fn,
      int attempt) {
    return AsyncCalls.unaryThenCompose(async::getTree, getTreeRequest(rootLineageId, 0, TREE_PAGE_SIZE, ""),
        first -> restOfTree(first, first, new ArrayList<>(first.getMembersList()))
            .thenCompose(tree -> writeComputed(rootLineageId, fn, tree, attempt)));
  }

  /** Writes what {@code fn} computes from {@code tree}; on gRPC callback threads. */
  private CompletableFuture<Tree> writeComputed(String rootLineageId, Function<Tree, List<TreeChange>> fn,
      Tree tree, int attempt) {
    List<TreeChange> changes;
    try {
      changes = Objects.requireNonNull(fn.apply(tree), "fn returned null");
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (changes.isEmpty()) {
      return CompletableFuture.completedFuture(tree);
    }
    Backoff backoff = Backoff.TREE_UPDATES;
    return AsyncCalls.unary(async::writeTree, writeTreeRequest(rootLineageId, tree.treeVersion(), changes))
        .handle((written, failure) -> {
          if (failure == null) {
            return CompletableFuture.completedFuture(tree.after(written));
          }
          if (!(failure instanceof TreeVersionConflictException) || attempt == backoff.maxAttempts()) {
            return CompletableFuture.<Tree>failedFuture(failure);
          }
          return AsyncCalls.after(scheduler, backoff.beforeRetry(attempt).toNanos())
              .thenCompose(elapsed -> treeAttempt(rootLineageId, fn, attempt + 1));
        })
        .thenCompose(next -> next);
  }

  private static CreateEntityRequest createRequest(String lineageId, String entityType, Struct data) {
    return CreateEntityRequest.newBuilder().setLineageId(lineageId).setEntityType(entityType).setData(data).build();
  }

  private static CreateEntityRequest memberRequest(String parentLineageId, String lineageId, String entityType,
      Struct data) {
    if (parentLineageId.isEmpty()) {
      throw new IllegalArgumentException("a member needs a parent; create(...) makes a new root");
    }
    return createRequest(lineageId, entityType, data).toBuilder().setParentLineageId(parentLineageId).build();
  }

  private GetEntityRequest getRequest(String lineageId, long version) {
    return GetEntityRequest.newBuilder().setLineageId(lineageId).setVersion(version).setSerializable(serializable)
        .build();
  }

  private static UpdateEntityRequest updateRequest(String lineageId, long expectedVersion, Struct data) {
    return UpdateEntityRequest.newBuilder()
        .setLineageId(lineageId)
        .setExpectedVersion(expectedVersion)
        .setData(data)
        .build();
  }

  private static DeleteEntityRequest deleteRequest(String lineageId, long expectedVersion) {
    return DeleteEntityRequest.newBuilder().setLineageId(lineageId).setExpectedVersion(expectedVersion).build();
  }

  private ListEntitiesRequest listRequest(String entityType, int pageSize, String pageToken) {
    return ListEntitiesRequest.newBuilder()
        .setEntityType(entityType)
        .setPageSize(pageSize)
        .setPageToken(pageToken)
        .setSerializable(serializable)
        .build();
  }

  private EntityHistoryRequest historyRequest(String lineageId, int pageSize, String pageToken) {
    return EntityHistoryRequest.newBuilder()
        .setLineageId(lineageId)
        .setPageSize(pageSize)
        .setPageToken(pageToken)
        .setSerializable(serializable)
        .build();
  }

  private static PromoteTreeMemberRequest promoteRequest(String lineageId, long expectedTreeVersion, int priority) {
    return PromoteTreeMemberRequest.newBuilder()
        .setLineageId(lineageId)
        .setExpectedTreeVersion(expectedTreeVersion)
        .setPriority(priority)
        .build();
  }

  private static AttachTreeRequest attachRequest(String lineageId, long expectedTreeVersion, String parentLineageId,
      long expectedParentTreeVersion, int priority) {
    return AttachTreeRequest.newBuilder()
        .setLineageId(lineageId)
        .setExpectedTreeVersion(expectedTreeVersion)
        .setParentLineageId(parentLineageId)
        .setExpectedParentTreeVersion(expectedParentTreeVersion)
        .setPriority(priority)
        .build();
  }

  /** A structural call's explicit priority; 0 on the wire means the default, so it is no priority to name. */
  private static int checkPriority(int priority) {
    if (priority < 1 || priority > 10) {
      throw new IllegalArgumentException("priority must be 1 to 10, was " + priority);
    }
    return priority;
  }

  private static WriteTreeRequest writeTreeRequest(String rootLineageId, long expectedTreeVersion,
      List<TreeChange> changes) {
    return WriteTreeRequest.newBuilder()
        .setRootLineageId(rootLineageId)
        .setExpectedTreeVersion(expectedTreeVersion)
        .addAllChanges(changes)
        .build();
  }

  private GetTreeRequest getTreeRequest(String rootLineageId, long treeVersion, int pageSize, String pageToken) {
    return GetTreeRequest.newBuilder()
        .setRootLineageId(rootLineageId)
        .setTreeVersion(treeVersion)
        .setPageSize(pageSize)
        .setPageToken(pageToken)
        .setSerializable(serializable)
        .build();
  }

  private TreeHistoryRequest treeHistoryRequest(String rootLineageId, int pageSize, String pageToken) {
    return TreeHistoryRequest.newBuilder()
        .setRootLineageId(rootLineageId)
        .setPageSize(pageSize)
        .setPageToken(pageToken)
        .setSerializable(serializable)
        .build();
  }

  /** {@code page}, after checking that it continues the read {@code first} began, at its tree version. */
  private static GetTreeResponse sameTreeVersion(GetTreeResponse first, GetTreeResponse page) {
    if (page.getTreeVersion() != first.getTreeVersion()) {
      throw new IllegalStateException("the server answered a page of tree " + first.getRootLineageId()
          + " at tree version " + page.getTreeVersion() + ", not " + first.getTreeVersion() + " as its first page");
    }
    return page;
  }

  private static <T> T call(Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw ServerErrors.translate(e);
    }
  }

  /** Closes the channel if this client opened it. */
  @Override
  public void close() throws InterruptedException {
    if (ownsChannel) {
      channel.shutdown();
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    }
  }
}
