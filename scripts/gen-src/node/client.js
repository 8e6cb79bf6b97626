'use strict';
// The promise client of @abstractions/api. Hand-written; copied into src-gen/node by
// scripts/gen-src.sh from scripts/gen-src/node: edit it there.
//
// AbstractionsClient wraps the generated stubs (stubs.js): promises for every entity call,
// update(id, fn) (read-modify-write under an operation the server arbitrates, waiting the
// server's retry_after between attempts), execute, entity trees (writeTree, getTree, treeHistory,
// promoteTreeMember, attachTree, and updateTree, which retries a stale tree write with a jittered
// backoff), and watch(), an async iterator over events that resumes by itself after a broken
// stream. Failed calls reject with typed errors carrying the google.rpc details (ServerError and
// its subclasses).
const timers = require('node:timers/promises');
const { grpc, createClients, toStruct, fromStruct, statusDetails, durationMillis } = require('./stubs');

/** How often update() keeps its operation alive while fn computes: well inside the default 5 s gate lease. */
const KEEP_ALIVE_MS = 1000;
/** Backoff between resumes of a broken event stream (doubling; reset once a stream delivers). */
const FIRST_RESUME_DELAY_MS = 50;
const MAX_RESUME_DELAY_MS = 2000;
/**
 * updateTree(): attempts before a TREE_VERSION_CONFLICT rejects, and the backoff between them
 * (full jitter: a random wait up to a cap that doubles from the first to the max). The Java
 * client's policy (its Backoff.TREE_UPDATES), so the three clients retry a tree write alike.
 */
const TREE_MAX_ATTEMPTS = 50;
const FIRST_TREE_RETRY_DELAY_MS = 2;
const MAX_TREE_RETRY_DELAY_MS = 100;
// Through the module object, not a copy of its function, so a test can see the waits.
const sleep = (ms) => timers.setTimeout(ms);
/**
 * Stream ends a resume can cure: the server or the connection went away (UNAVAILABLE), or the
 * transport broke the call (CANCELLED / UNKNOWN) without this client asking it to.
 */
const RESUMABLE = new Set([grpc.status.UNAVAILABLE, grpc.status.CANCELLED, grpc.status.UNKNOWN]);

// ---- errors ------------------------------------------------------------------------------------

/** Base of every error this client raises. */
class AbstractionsError extends Error {}
AbstractionsError.prototype.name = 'AbstractionsError';

/**
 * A failed call: the gRPC status `code` (a number; `codeName` is its name), the server's
 * message, and from the google.rpc.Status details the ErrorInfo `reason` and `metadata`, the
 * BadRequest `fieldViolations`, and the decoded `status` (null when the call carried none).
 */
class ServerError extends AbstractionsError {
  constructor(err, status) {
    const codeName = grpc.status[err.code] || String(err.code);
    const reason = (status && status.errorInfo && status.errorInfo.reason) || '';
    super(`${codeName}: ${err.details}${reason ? ` [${reason}]` : ''}`, { cause: err });
    this.code = err.code;
    this.codeName = codeName;
    this.details = err.details;
    this.reason = reason;
    this.metadata = { ...((status && status.errorInfo && status.errorInfo.metadata) || {}) };
    this.fieldViolations = ((status && status.badRequest && status.badRequest.field_violations) || [])
      .map((v) => ({ field: v.field, description: v.description }));
    this.status = status;
  }
}
ServerError.prototype.name = 'ServerError';

/** ABORTED / VERSION_CONFLICT: the expected version is no longer the latest. */
class VersionConflictError extends ServerError {
  get lineageId() { return this.metadata.lineage_id; }
  /** The latest version, a decimal string as every int64 of this package. */
  get currentVersion() { return this.metadata.current_version; }
  get currentEcsId() { return this.metadata.current_ecs_id; }
}
VersionConflictError.prototype.name = 'VersionConflictError';

/**
 * ABORTED / TREE_VERSION_CONFLICT: a WriteTree's expected tree version is no longer the tree's;
 * re-read the tree (updateTree does, and retries).
 */
class TreeVersionConflictError extends ServerError {
  get rootLineageId() { return this.metadata.root_lineage_id; }
  /** The tree's version, a decimal string as every int64 of this package. */
  get currentTreeVersion() { return this.metadata.current_tree_version; }
}
TreeVersionConflictError.prototype.name = 'TreeVersionConflictError';

/** FAILED_PRECONDITION / NOT_A_ROOT: a tree call named a member where it needs the root. */
class NotARootError extends ServerError {
  get lineageId() { return this.metadata.lineage_id; }
  /** The root of the member's tree. */
  get rootLineageId() { return this.metadata.root_lineage_id; }
}
NotARootError.prototype.name = 'NotARootError';

/** FAILED_PRECONDITION / NOT_IN_TREE: a WriteTree change named an entity (or a parent) of another tree. */
class NotInTreeError extends ServerError {
  get lineageId() { return this.metadata.lineage_id; }
  /** The root of that entity's tree. */
  get rootLineageId() { return this.metadata.root_lineage_id; }
}
NotInTreeError.prototype.name = 'NotInTreeError';

/** FAILED_PRECONDITION / MEMBER_HAS_CHILDREN: a delete would leave a live member under a deleted one. */
class MemberHasChildrenError extends ServerError {
  get lineageId() { return this.metadata.lineage_id; }
  get childLineageId() { return this.metadata.child_lineage_id; }
}
MemberHasChildrenError.prototype.name = 'MemberHasChildrenError';

/**
 * RESOURCE_EXHAUSTED / TREE_LIMIT: the write would take the tree past --max-tree-members or
 * --max-tree-bytes (metadata members, max_members, bytes, max_bytes).
 */
class TreeLimitError extends ServerError {
  get rootLineageId() { return this.metadata.root_lineage_id; }
}
TreeLimitError.prototype.name = 'TreeLimitError';

/** FAILED_PRECONDITION / ALREADY_A_ROOT: promoteTreeMember named a root. */
class AlreadyARootError extends ServerError {
  get lineageId() { return this.metadata.lineage_id; }
}
AlreadyARootError.prototype.name = 'AlreadyARootError';

/**
 * FAILED_PRECONDITION / TREE_CYCLE: attachTree named a parent in the tree of the root it attaches
 * (the tree would contain itself).
 */
class TreeCycleError extends ServerError {
  get lineageId() { return this.metadata.lineage_id; }
  get parentLineageId() { return this.metadata.parent_lineage_id; }
}
TreeCycleError.prototype.name = 'TreeCycleError';

/** NOT_FOUND: ENTITY_NOT_FOUND, ENTITY_DELETED (metadata deleted_version) or VERSION_NOT_FOUND. */
class EntityNotFoundError extends ServerError {}
EntityNotFoundError.prototype.name = 'EntityNotFoundError';

/** The server's `retry_after_ms` advice in milliseconds, or null without one. */
function retryAfterMs(metadata) {
  return metadata.retry_after_ms === undefined ? null : Number(metadata.retry_after_ms);
}

/** ABORTED / PREEMPTED or GATE_HELD: an operation holds the target, so a plain write must wait. */
class GateHeldError extends ServerError {
  /** The server's advice for GATE_HELD in milliseconds; null for PREEMPTED. */
  get retryAfterMs() {
    return retryAfterMs(this.metadata);
  }
}
GateHeldError.prototype.name = 'GateHeldError';

/**
 * RESOURCE_EXHAUSTED / TARGET_BUSY: a LOW operation's Begin waited its longest wait and the target
 * was still busy, so the server shed it before fn computed anything; no operation was left behind.
 */
class TargetBusyError extends ServerError {
  /** The server's advice in milliseconds: begin again after it. */
  get retryAfterMs() {
    return retryAfterMs(this.metadata);
  }

  /** The operation that held the target. */
  get turnHolderOpId() {
    return this.metadata.turn_holder_op_id ?? '';
  }
}
TargetBusyError.prototype.name = 'TargetBusyError';

/** OUT_OF_RANGE / EVENTS_NOT_RETAINED: the events asked for are no longer in the server's log. */
class EventsLostError extends ServerError {}
EventsLostError.prototype.name = 'EventsLostError';

/** UNAUTHENTICATED or PERMISSION_DENIED. */
class AccessDeniedError extends ServerError {}
AccessDeniedError.prototype.name = 'AccessDeniedError';

/** The server rejected an operation: `reason` RETRIES_EXHAUSTED or EXPIRED (PREEMPTED, by `preemptedByOpId`, only from servers before arbitration by turns). */
class OperationRejectedError extends AbstractionsError {
  constructor(operation) {
    const by = operation.preempted_by_op_id ? ` by ${operation.preempted_by_op_id}` : '';
    super(`operation ${operation.op_id} was rejected: ${operation.rejection_reason}${by}`);
    this.operation = operation;
    this.reason = operation.rejection_reason;
    this.preemptedByOpId = operation.preempted_by_op_id;
  }
}
OperationRejectedError.prototype.name = 'OperationRejectedError';

/** A server function failed on the target's data. */
class OperationFailedError extends AbstractionsError {
  constructor(operation) {
    super(`operation ${operation.op_id} failed: ${operation.failure_message}`);
    this.operation = operation;
  }
}
OperationFailedError.prototype.name = 'OperationFailedError';

const BY_REASON = {
  VERSION_CONFLICT: VersionConflictError,
  TREE_VERSION_CONFLICT: TreeVersionConflictError,
  NOT_A_ROOT: NotARootError,
  NOT_IN_TREE: NotInTreeError,
  MEMBER_HAS_CHILDREN: MemberHasChildrenError,
  TREE_LIMIT: TreeLimitError,
  ALREADY_A_ROOT: AlreadyARootError,
  TREE_CYCLE: TreeCycleError,
  ENTITY_NOT_FOUND: EntityNotFoundError,
  ENTITY_DELETED: EntityNotFoundError,
  VERSION_NOT_FOUND: EntityNotFoundError,
  PREEMPTED: GateHeldError,
  GATE_HELD: GateHeldError,
  TARGET_BUSY: TargetBusyError,
  EVENTS_NOT_RETAINED: EventsLostError,
};
const BY_CODE = {
  [grpc.status.UNAUTHENTICATED]: AccessDeniedError,
  [grpc.status.PERMISSION_DENIED]: AccessDeniedError,
};

/** The typed error for a failed call's grpc-js ServiceError. */
function fromServiceError(err) {
  let status = null;
  try {
    status = statusDetails(err);
  } catch (malformed) {
    // Unreadable details are no reason to hide the status itself.
  }
  const reason = (status && status.errorInfo && status.errorInfo.reason) || '';
  const Type = BY_REASON[reason] || BY_CODE[err.code] || ServerError;
  return new Type(err, status);
}

// ---- values ------------------------------------------------------------------------------------

/** An Entity message with `data` as plain JSON (int64 fields stay decimal strings). */
function plainEntity(entity) {
  return { ...entity, data: fromStruct(entity.data) };
}

/** The version an attempt that did not conflict wrote, or the error that says why it wrote none. */
function settled(response) {
  switch (response.outcome) {
    case 'OUTCOME_COMMITTED': return plainEntity(response.entity);
    case 'OUTCOME_REJECTED': throw new OperationRejectedError(response.operation);
    case 'OUTCOME_FAILED': throw new OperationFailedError(response.operation);
    default: throw new Error(`the server answered operation ${response.operation.op_id} with ${response.outcome}`);
  }
}

/**
 * One WriteTree change as a TreeChange message, from its readable form:
 *   { create: { parentLineageId, entityType, data, lineageId } }
 *   { update: { lineageId, data, expectedVersion } }
 *   { delete: { lineageId, expectedVersion } }
 * (expectedVersion 0 or unset checks only the tree version; lineageId of a create is optional).
 */
function treeChange(change) {
  if (change && change.create) {
    const c = change.create;
    return {
      create: {
        lineage_id: c.lineageId || '', parent_lineage_id: c.parentLineageId || '', entity_type: c.entityType || '',
        data: toStruct(c.data || {}),
      },
    };
  }
  if (change && change.update) {
    const u = change.update;
    return { update: { lineage_id: u.lineageId || '', expected_version: u.expectedVersion || 0, data: toStruct(u.data || {}) } };
  }
  if (change && change.delete) {
    const d = change.delete;
    return { delete: { lineage_id: d.lineageId || '', expected_version: d.expectedVersion || 0 } };
  }
  throw new TypeError(`not a tree change (want {create}, {update} or {delete}): ${JSON.stringify(change)}`);
}

/**
 * The longest wait, in milliseconds, before retry number `retry` (1 for the second attempt) of
 * updateTree: min(MAX_TREE_RETRY_DELAY_MS, FIRST_TREE_RETRY_DELAY_MS * 2^(retry-1)).
 */
function treeRetryCapMs(retry) {
  return Math.min(MAX_TREE_RETRY_DELAY_MS, FIRST_TREE_RETRY_DELAY_MS * 2 ** Math.min(retry - 1, 30));
}

/** Milliseconds to wait before retry number `retry` of updateTree: uniform from 0 to its cap ("full jitter"). */
function treeRetryDelayMs(retry) {
  return Math.random() * treeRetryCapMs(retry);
}

/** `{ written: Entity[] }` of a structural tree call with the entities' data as plain JSON. */
function withPlainWritten(response) {
  return { ...response, written: response.written.map(plainEntity) };
}

function millisDuration(ms) {
  if (ms === undefined || ms === null) return null;
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}

function operationFields(options) {
  const o = options || {};
  const fields = {
    priority_class: o.priorityClass || 'NORMAL',
    parent_op_id: o.parentOpId || '',
    ttl: millisDuration(o.ttlMs),
  };
  // Optional in the contract: unset means the class's default.
  if (o.priority !== undefined) fields.priority = o.priority;
  if (o.maxRetries !== undefined) fields.max_retries = o.maxRetries;
  return fields;
}

// ---- the client --------------------------------------------------------------------------------

/**
 * One channel to the server and promise calls on it. Every unary call ends after `timeoutMs`
 * (default 30 s; DEADLINE_EXCEEDED); watches are not bounded. `credentials` default to plaintext.
 */
class AbstractionsClient {
  constructor(address, options = {}) {
    const clients = createClients(address, options.credentials, options.channelOptions);
    /** The generated stubs, for calls this client does not wrap. */
    this.entities = clients.entities;
    this.operations = clients.operations;
    this.events = clients.events;
    this.timeoutMs = options.timeoutMs === undefined ? 30000 : options.timeoutMs;
    this._close = clients.close;
  }

  /** Closes the channel; calls in flight fail and watches end. */
  close() {
    this._close();
  }

  _unary(stub, method, request) {
    const callOptions = this.timeoutMs === null ? {} : { deadline: Date.now() + this.timeoutMs };
    return new Promise((resolve, reject) => {
      stub[method](request, callOptions, (err, response) => (err ? reject(fromServiceError(err)) : resolve(response)));
    });
  }

  // ---- entities ----

  /**
   * Version 1 of a new lineage (its id chosen by the server unless `lineageId` is given): the
   * root of a new tree, or with `parentLineageId` a member of that entity's tree, under it.
   */
  async create(entityType, data, options = {}) {
    return plainEntity(await this._unary(this.entities, 'Create', {
      lineage_id: options.lineageId || '', entity_type: entityType, data: toStruct(data),
      request_id: options.requestId || '', parent_lineage_id: options.parentLineageId || '',
    }));
  }

  /**
   * The latest version, or `version` when given; EntityNotFoundError when there is none.
   * `options.serializable` (also on list and history): answered from what the server reached has
   * applied, without asking the leader of a replicated group; cheaper, and answered even by a
   * member cut off from its quorum, but it may miss the latest writes.
   */
  async get(lineageId, version = 0, options = {}) {
    return plainEntity(await this._unary(this.entities, 'Get', {
      lineage_id: lineageId, version, serializable: Boolean(options.serializable),
    }));
  }

  /**
   * Compare-and-set: writes `data` only if `expectedVersion` is still the latest; else
   * VersionConflictError (with currentVersion), or GateHeldError while an operation holds the target.
   */
  async replace(lineageId, expectedVersion, data, options = {}) {
    return plainEntity(await this._unary(this.entities, 'Update', {
      lineage_id: lineageId, expected_version: expectedVersion, data: toStruct(data),
      request_id: options.requestId || '',
    }));
  }

  /** Writes the final tombstone version (compare-and-set like replace). */
  async delete(lineageId, expectedVersion, options = {}) {
    return plainEntity(await this._unary(this.entities, 'Delete', {
      lineage_id: lineageId, expected_version: expectedVersion, request_id: options.requestId || '',
    }));
  }

  /** Every live entity of a type, a page at a time. */
  async* list(entityType, options = {}) {
    let token = '';
    do {
      const page = await this._unary(this.entities, 'List', {
        entity_type: entityType, page_size: options.pageSize || 0, page_token: token,
        serializable: Boolean(options.serializable),
      });
      for (const e of page.entities) yield plainEntity(e);
      token = page.next_page_token;
    } while (token);
  }

  /** A lineage's retained versions, oldest first, a page at a time. */
  async* history(lineageId, options = {}) {
    let token = '';
    do {
      const page = await this._unary(this.entities, 'History', {
        lineage_id: lineageId, page_size: options.pageSize || 0, page_token: token,
        serializable: Boolean(options.serializable),
      });
      for (const e of page.versions) yield plainEntity(e);
      token = page.next_page_token;
    } while (token);
  }

  // ---- trees ----

  /**
   * Creates, updates and deletes members of one tree at once (changes applied in order; see
   * treeChange for their form), all or nothing, if `expectedTreeVersion` is still the tree's
   * version; else TreeVersionConflictError (currentTreeVersion). Resolves to { tree_version,
   * written }: the tree's new version and the member versions written, in the order of the changes.
   */
  async writeTree(rootLineageId, expectedTreeVersion, changes, options = {}) {
    const response = await this._unary(this.entities, 'WriteTree', {
      root_lineage_id: rootLineageId, expected_tree_version: expectedTreeVersion, changes: changes.map(treeChange),
      request_id: options.requestId || '',
    });
    return { tree_version: response.tree_version, written: response.written.map(plainEntity) };
  }

  /**
   * The whole tree at one tree version, the latest unless `treeVersion` is given: every page is
   * read, every page at the tree version of the first. Resolves to { root_lineage_id,
   * tree_version, last_modified_ns, members } (members ordered by lineage id, the root included).
   * NotARootError for a member; EntityNotFoundError for a tree version never reached.
   */
  async getTree(rootLineageId, treeVersion = 0, options = {}) {
    const request = {
      root_lineage_id: rootLineageId, tree_version: treeVersion, page_size: options.pageSize || 0,
      serializable: Boolean(options.serializable),
    };
    let first = null;
    const members = [];
    let token = '';
    do {
      const page = await this._unary(this.entities, 'GetTree', { ...request, page_token: token });
      if (!first) first = page;
      else if (page.tree_version !== first.tree_version) {
        throw new Error(`GetTree of ${rootLineageId} answered pages at tree versions ${first.tree_version} and ${page.tree_version}`);
      }
      for (const e of page.members) members.push(plainEntity(e));
      token = page.next_page_token;
    } while (token);
    return {
      root_lineage_id: first.root_lineage_id, tree_version: first.tree_version,
      last_modified_ns: first.last_modified_ns, members,
    };
  }

  /** A tree's retained versions (TreeVersion messages), oldest first, a page at a time. */
  async* treeHistory(rootLineageId, options = {}) {
    let token = '';
    do {
      const page = await this._unary(this.entities, 'TreeHistory', {
        root_lineage_id: rootLineageId, page_size: options.pageSize || 0, page_token: token,
        serializable: Boolean(options.serializable),
      });
      for (const v of page.versions) yield v;
      token = page.next_page_token;
    } while (token);
  }

  /**
   * Makes the member `lineageId`, with every live member under it, a tree of its own, if its tree
   * is still at `expectedTreeVersion`: both trees are then at that version + 1. `options.priority`
   * (1 to 10; 0 or unset means 10, STRUCTURAL's default) is the priority it is arbitrated at on
   * the tree. Resolves to { old_root_lineage_id, tree_version, written } (written: the member it
   * was under, the new root, then each member that moved with it). AlreadyARootError for a root;
   * TreeVersionConflictError (currentTreeVersion) if the tree moved on.
   */
  async promoteTreeMember(lineageId, expectedTreeVersion, options = {}) {
    return withPlainWritten(await this._unary(this.entities, 'PromoteTreeMember', {
      lineage_id: lineageId, expected_tree_version: expectedTreeVersion, request_id: options.requestId || '',
      priority: options.priority || 0,
    }));
  }

  /**
   * Puts the root `lineageId`, with every live member of its tree, under `parentLineageId` (a
   * member, or the root, of another tree), if its tree is still at `expectedTreeVersion` and the
   * parent's at `expectedParentTreeVersion`: both trees are then at one more than the larger of
   * the two. `options.priority` as in promoteTreeMember. Resolves to { root_lineage_id (the tree
   * joined), tree_version, written } (written: the parent, the attached root, then each member
   * that moved with it). NotARootError if lineageId is a member; TreeCycleError if the parent is in
   * its own tree; TreeVersionConflictError (rootLineageId, currentTreeVersion of the tree that
   * moved on); EntityNotFoundError for an unknown or deleted root or parent.
   */
  async attachTree(lineageId, expectedTreeVersion, parentLineageId, expectedParentTreeVersion, options = {}) {
    return withPlainWritten(await this._unary(this.entities, 'AttachTree', {
      lineage_id: lineageId, expected_tree_version: expectedTreeVersion, parent_lineage_id: parentLineageId,
      expected_parent_tree_version: expectedParentTreeVersion, request_id: options.requestId || '',
      priority: options.priority || 0,
    }));
  }

  /**
   * Reads the tree, calls `await fn(tree)` for the changes to make and writes them at the tree
   * version read. When another writer changed the tree first (TREE_VERSION_CONFLICT) it waits and
   * starts again from a fresh read: at most `maxAttempts` attempts (default 50), waiting before
   * retry n a random time up to min(100 ms, 2 ms * 2^(n-1)) ("full jitter", so writers that
   * collided spread out; 4.4 s in all at most), the policy of the Java client's updateTree; then
   * the last TreeVersionConflictError rejects. fn may run several times. If it returns no change
   * nothing is written ({ tree_version: the version read, written: [] }). Other errors
   * (GateHeldError included), and what fn throws, reject at once.
   */
  async updateTree(rootLineageId, fn, options = {}) {
    const maxAttempts = options.maxAttempts || TREE_MAX_ATTEMPTS;
    for (let attempt = 1; ; attempt++) {
      const tree = await this.getTree(rootLineageId);
      const changes = [...((await fn(tree)) || [])];
      if (changes.length === 0) return { tree_version: tree.tree_version, written: [] };
      try {
        // No requestId: each attempt is another request (another tree version), and a conflict
        // is remembered under an id, so a retry under it would get the conflict back.
        return await this.writeTree(rootLineageId, tree.tree_version, changes);
      } catch (err) {
        if (!(err instanceof TreeVersionConflictError) || attempt >= maxAttempts) throw err;
      }
      await sleep(treeRetryDelayMs(attempt));
    }
  }

  // ---- operations ----

  /**
   * Replaces the target's data with `await fn(data)` under an operation, recomputing on every
   * conflict until the write lands or the server refuses the operation: Begin, fn on the
   * snapshot, Commit; on a CONFLICT it waits the retry_after the server chose and calls fn again
   * on the fresh version the server returned, so the server's backoff is the only retry policy.
   * While fn runs the operation is kept alive, so it keeps its target's gate however long fn
   * takes. Resolves to the version written; rejects with OperationRejectedError, TargetBusyError
   * (a LOW Begin shed before fn ran), another ServerError, or what fn threw (after aborting the
   * operation).
   */
  async update(lineageId, fn, options = {}) {
    const begun = await this._unary(this.operations, 'Begin', {
      target_lineage_id: lineageId, op_type: options.opType || 'update', ...operationFields(options),
    });
    const opId = begun.operation.op_id;
    let snapshot = begun.snapshot;
    for (;;) {
      const data = await this._compute(fn, snapshot, opId);
      const response = await this._unary(this.operations, 'Commit', { op_id: opId, data: toStruct(data) });
      if (response.outcome !== 'OUTCOME_CONFLICT') return settled(response);
      await sleep(durationMillis(response.retry_after));
      snapshot = response.entity;
    }
  }

  async _compute(fn, snapshot, opId) {
    const beat = setInterval(() => {
      // A failed keep-alive needs no handling: the commit that follows reports the operation's fate.
      this._unary(this.operations, 'KeepAlive', { op_id: opId }).catch(() => {});
    }, KEEP_ALIVE_MS);
    try {
      return await fn(fromStruct(snapshot.data));
    } catch (e) {
      // Abort so the operation stops counting as in flight; fn's error is the one to report.
      await this._unary(this.operations, 'Abort', { op_id: opId }).catch(() => {});
      throw e;
    } finally {
      clearInterval(beat);
    }
  }

  /**
   * Runs a server function (merge-patch, set, increment, append, remove, ...) on the latest
   * version inside the server's atomic step. Resolves to the version written.
   */
  async execute(lineageId, fn, args, options = {}) {
    return settled(await this._unary(this.operations, 'Execute', {
      target_lineage_id: lineageId, function: fn, args: toStruct(args), op_type: options.opType || fn,
      ...operationFields(options),
    }));
  }

  // ---- events ----

  /**
   * The events matching `filter` ({kinds, lineageIds, entityTypes, opIds, minPriority,
   * rootLineageIds}: rootLineageIds keeps the events of those trees, their members' changes, their
   * WriteTrees' tree_changed and the operations on their roots), from now unless `options` gives
   * fromSequence, fromOldest or resumeToken. See Watch.
   */
  watch(filter = {}, options = {}) {
    const starts = [options.fromSequence !== undefined, Boolean(options.fromOldest), Boolean(options.resumeToken)];
    if (starts.filter(Boolean).length > 1) {
      throw new TypeError('give at most one of fromSequence, fromOldest and resumeToken');
    }
    const request = {
      filter: {
        kinds: filter.kinds || [], lineage_ids: filter.lineageIds || [], entity_types: filter.entityTypes || [],
        op_ids: filter.opIds || [], min_priority: filter.minPriority || 0,
        root_lineage_ids: filter.rootLineageIds || [],
      },
      include_entities: Boolean(options.includeEntities),
    };
    if (options.fromSequence !== undefined) request.from_sequence = String(options.fromSequence);
    else if (options.fromOldest) request.from_oldest = true;
    else if (options.resumeToken) request.resume_token = options.resumeToken;
    else request.from_now = true;
    return new Watch(this.events, request);
  }
}

/**
 * An async iterator over events that survives disconnects. It remembers the last event it
 * yielded (or the last Progress bookmark, which it does not yield); when the stream breaks
 * (UNAVAILABLE, e.g. a dropped connection or a server shutting down, or CANCELLED / UNKNOWN from
 * the transport) it subscribes again, after a short backoff, from that position's resume_token,
 * and skips any event at or below the last sequence, so each event comes once, in order. Until
 * the first event or bookmark it resumes with the original start. Events the server no longer
 * holds are never skipped silently: the iteration throws EventsLostError. close() (or leaving a
 * for-await loop) ends it. The stream is read as the caller iterates, so a slow reader slows
 * only itself.
 */
class Watch {
  constructor(stub, request) {
    this._stub = stub;
    this._request = request;
    this._closed = false;
    this._call = null;
    /** The sequence of the last event yielded or bookmark passed; '0' before any. */
    this.lastSequence = '0';
    /** The token that resumes right after lastSequence; '' before anything. */
    this.resumeToken = '';
    this._events = this._run();
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  next() {
    return this._events.next();
  }

  /** Ends the watch, as close() does. */
  return() {
    this.close();
    return this._events.return();
  }

  /** Ends the watch: a pending next() resolves done. */
  close() {
    this._closed = true;
    if (this._call) this._call.cancel();
  }

  async* _run() {
    let failures = 0;
    while (!this._closed) {
      const request = this.resumeToken
        ? { filter: this._request.filter, include_entities: this._request.include_entities, resume_token: this.resumeToken }
        : this._request;
      const metadata = new grpc.Metadata();
      metadata.setOptions({ waitForReady: true }); // a resume rides out the reconnect instead of failing fast
      const call = this._stub.Subscribe(request, metadata);
      this._call = call;
      try {
        for await (const event of call) {
          failures = 0;
          if (this._accept(event)) yield event;
        }
        // The contract's streams never end by themselves: an orderly end is a disconnect like any other.
      } catch (err) {
        if (this._closed) return;
        if (!RESUMABLE.has(err.code)) {
          this._closed = true;
          throw fromServiceError(err);
        }
      } finally {
        call.cancel(); // no-op once the call ended; ends it when the caller stopped iterating
        this._call = null;
      }
      if (this._closed) return;
      await sleep(Math.min(MAX_RESUME_DELAY_MS, FIRST_RESUME_DELAY_MS * 2 ** Math.min(failures, 10)));
      failures += 1;
    }
  }

  /** Records the event; true when it is news to yield (not a bookmark, not a replay). */
  _accept(event) {
    if (event.kind === 'progress') {
      if (BigInt(event.progress.head_sequence) > BigInt(this.lastSequence)) this.lastSequence = event.progress.head_sequence;
      this.resumeToken = event.resume_token;
      return false;
    }
    if (BigInt(event.sequence) <= BigInt(this.lastSequence)) return false;
    this.lastSequence = event.sequence;
    this.resumeToken = event.resume_token;
    return true;
  }
}

module.exports = {
  AbstractionsClient,
  Watch,
  AbstractionsError,
  ServerError,
  VersionConflictError,
  TreeVersionConflictError,
  NotARootError,
  NotInTreeError,
  MemberHasChildrenError,
  TreeLimitError,
  AlreadyARootError,
  TreeCycleError,
  EntityNotFoundError,
  GateHeldError,
  TargetBusyError,
  EventsLostError,
  AccessDeniedError,
  OperationRejectedError,
  OperationFailedError,
  fromServiceError,
  treeChange,
};
