// Types for client.js (hand-written, like it; copied into src-gen/node by scripts/gen-src.sh).
import type * as grpcJs from '@grpc/grpc-js';
import type { Json, StatusDetails } from './stubs';
import type { Entity__Output } from './types/abstractions/v1/Entity';
import type { Event__Output } from './types/abstractions/v1/Event';
import type { OperationEntity__Output } from './types/abstractions/v1/OperationEntity';
import type { EntityServiceClient } from './types/abstractions/v1/EntityService';
import type { OperationServiceClient } from './types/abstractions/v1/OperationService';
import type { EventServiceClient } from './types/abstractions/v1/EventService';
import type { EventKind } from './types/abstractions/v1/EventKind';
import type { TreeChange as TreeChangeMessage } from './types/abstractions/v1/TreeChange';
import type { TreeVersion__Output } from './types/abstractions/v1/TreeVersion';

export type JsonObject = { [key: string]: Json };

/** An Entity message with `data` as plain JSON; int64 fields (version, ...) stay decimal strings. */
export type PlainEntity = Omit<Entity__Output, 'data'> & { data: JsonObject };

export type PriorityClassName = 'STRUCTURAL' | 'NORMAL' | 'LOW';

export interface OperationOptions {
  /** Default NORMAL. */
  priorityClass?: PriorityClassName;
  /** 1-10 within the class's bound; the class's default when unset. */
  priority?: number;
  maxRetries?: number;
  opType?: string;
  parentOpId?: string;
  ttlMs?: number;
}

export interface ClientOptions {
  /** Plaintext when unset. */
  credentials?: grpcJs.ChannelCredentials;
  /** Deadline of every unary call; default 30000, null for none. */
  timeoutMs?: number | null;
  channelOptions?: grpcJs.ClientOptions;
}

export interface WatchFilter {
  kinds?: EventKind[];
  lineageIds?: string[];
  entityTypes?: string[];
  opIds?: string[];
  minPriority?: number;
  /** The events of these trees: their members' changes, their WriteTrees, operations on their roots. */
  rootLineageIds?: string[];
}

/** One WriteTree change, applied in order. expectedVersion 0 or unset checks only the tree version. */
export type TreeChange =
  | { create: { parentLineageId: string; entityType: string; data?: JsonObject; lineageId?: string } }
  | { update: { lineageId: string; data: JsonObject; expectedVersion?: number | string } }
  | { delete: { lineageId: string; expectedVersion?: number | string } };

/** A whole tree at one tree version; members ordered by lineage id, the root included. */
export interface PlainTree {
  root_lineage_id: string;
  /** int64 as a decimal string. */
  tree_version: string;
  last_modified_ns: string;
  members: PlainEntity[];
}

/** What a WriteTree wrote: the tree's new version and the members written, in the order of the changes. */
export interface TreeWrite {
  tree_version: string;
  written: PlainEntity[];
}

/** What a PromoteTreeMember wrote. */
export interface TreePromotion {
  /** The tree the member left. */
  old_root_lineage_id: string;
  /** The version both trees are at now (int64 as a decimal string). */
  tree_version: string;
  /** The member it was under, the new root, then each member that moved with it. */
  written: PlainEntity[];
}

/** What an AttachTree wrote. */
export interface TreeAttachment {
  /** The root of the tree joined (the parent's root). */
  root_lineage_id: string;
  /** The version both trees are at now: one more than the larger of the two before. */
  tree_version: string;
  /** The parent, the attached root, then each member that moved with it. */
  written: PlainEntity[];
}

export interface StructuralOptions {
  /** The priority it is arbitrated at: 1 to 10; 0 or unset means 10 (STRUCTURAL's default). */
  priority?: number;
  requestId?: string;
}

/** At most one start; from now when none. */
export interface WatchOptions {
  fromSequence?: number | string;
  fromOldest?: boolean;
  resumeToken?: string;
  includeEntities?: boolean;
}

export declare class AbstractionsClient {
  constructor(address: string, options?: ClientOptions);
  readonly entities: EntityServiceClient;
  readonly operations: OperationServiceClient;
  readonly events: EventServiceClient;
  readonly timeoutMs: number | null;
  close(): void;
  create(entityType: string, data: JsonObject,
    options?: { lineageId?: string; requestId?: string; parentLineageId?: string }): Promise<PlainEntity>;
  get(lineageId: string, version?: number | string, options?: { serializable?: boolean }): Promise<PlainEntity>;
  replace(lineageId: string, expectedVersion: number | string, data: JsonObject,
    options?: { requestId?: string }): Promise<PlainEntity>;
  delete(lineageId: string, expectedVersion: number | string, options?: { requestId?: string }): Promise<PlainEntity>;
  list(entityType: string, options?: { pageSize?: number; serializable?: boolean }): AsyncGenerator<PlainEntity, void, undefined>;
  history(lineageId: string, options?: { pageSize?: number; serializable?: boolean }): AsyncGenerator<PlainEntity, void, undefined>;
  update(lineageId: string, fn: (data: JsonObject) => JsonObject | Promise<JsonObject>,
    options?: OperationOptions): Promise<PlainEntity>;
  execute(lineageId: string, fn: string, args: JsonObject, options?: OperationOptions): Promise<PlainEntity>;
  writeTree(rootLineageId: string, expectedTreeVersion: number | string, changes: TreeChange[],
    options?: { requestId?: string }): Promise<TreeWrite>;
  getTree(rootLineageId: string, treeVersion?: number | string,
    options?: { pageSize?: number; serializable?: boolean }): Promise<PlainTree>;
  treeHistory(rootLineageId: string,
    options?: { pageSize?: number; serializable?: boolean }): AsyncGenerator<TreeVersion__Output, void, undefined>;
  promoteTreeMember(lineageId: string, expectedTreeVersion: number | string,
    options?: StructuralOptions): Promise<TreePromotion>;
  attachTree(lineageId: string, expectedTreeVersion: number | string, parentLineageId: string,
    expectedParentTreeVersion: number | string, options?: StructuralOptions): Promise<TreeAttachment>;
  /** At most maxAttempts attempts (default 50), waiting before retry n up to min(100 ms, 2 ms * 2^(n-1)). */
  updateTree(rootLineageId: string, fn: (tree: PlainTree) => TreeChange[] | Promise<TreeChange[]>,
    options?: { maxAttempts?: number }): Promise<TreeWrite>;
  watch(filter?: WatchFilter, options?: WatchOptions): Watch;
}

export declare class Watch implements AsyncIterableIterator<Event__Output> {
  /** The sequence of the last event yielded or bookmark passed; '0' before any. */
  readonly lastSequence: string;
  /** The token that resumes right after lastSequence; '' before anything. */
  readonly resumeToken: string;
  [Symbol.asyncIterator](): Watch;
  next(): Promise<IteratorResult<Event__Output, undefined>>;
  return(): Promise<IteratorResult<Event__Output, undefined>>;
  close(): void;
}

export declare class AbstractionsError extends Error {}

export declare class ServerError extends AbstractionsError {
  /** The gRPC status code. */
  readonly code: grpcJs.status;
  /** Its name, e.g. 'ABORTED'. */
  readonly codeName: string;
  readonly details: string;
  /** The ErrorInfo reason (an abstractions.v1.ErrorReason name); '' when the status carries none. */
  readonly reason: string;
  readonly metadata: { [key: string]: string };
  readonly fieldViolations: Array<{ field: string; description: string }>;
  readonly status: StatusDetails | null;
  readonly cause: grpcJs.ServiceError;
}
export declare class VersionConflictError extends ServerError {
  readonly lineageId: string;
  readonly currentVersion: string;
  readonly currentEcsId: string;
}
export declare class TreeVersionConflictError extends ServerError {
  readonly rootLineageId: string;
  readonly currentTreeVersion: string;
}
export declare class NotARootError extends ServerError {
  readonly lineageId: string;
  readonly rootLineageId: string;
}
export declare class NotInTreeError extends ServerError {
  readonly lineageId: string;
  readonly rootLineageId: string;
}
export declare class MemberHasChildrenError extends ServerError {
  readonly lineageId: string;
  readonly childLineageId: string;
}
export declare class TreeLimitError extends ServerError {
  readonly rootLineageId: string;
}
export declare class AlreadyARootError extends ServerError {
  readonly lineageId: string;
}
export declare class TreeCycleError extends ServerError {
  readonly lineageId: string;
  readonly parentLineageId: string;
}
export declare class EntityNotFoundError extends ServerError {}
export declare class GateHeldError extends ServerError {
  readonly retryAfterMs: number | null;
}
export declare class TargetBusyError extends ServerError {
  readonly retryAfterMs: number | null;
  readonly turnHolderOpId: string;
}
export declare class EventsLostError extends ServerError {}
export declare class AccessDeniedError extends ServerError {}
export declare class OperationRejectedError extends AbstractionsError {
  readonly operation: OperationEntity__Output;
  readonly reason: string;
  readonly preemptedByOpId: string;
}
export declare class OperationFailedError extends AbstractionsError {
  readonly operation: OperationEntity__Output;
}
export declare function fromServiceError(err: grpcJs.ServiceError): ServerError;
/** A change in its readable form as the TreeChange message WriteTree takes. */
export declare function treeChange(change: TreeChange): TreeChangeMessage;
