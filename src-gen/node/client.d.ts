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
  create(entityType: string, data: JsonObject, options?: { lineageId?: string; requestId?: string }): Promise<PlainEntity>;
  get(lineageId: string, version?: number | string, options?: { serializable?: boolean }): Promise<PlainEntity>;
  replace(lineageId: string, expectedVersion: number | string, data: JsonObject,
    options?: { requestId?: string }): Promise<PlainEntity>;
  delete(lineageId: string, expectedVersion: number | string, options?: { requestId?: string }): Promise<PlainEntity>;
  list(entityType: string, options?: { pageSize?: number; serializable?: boolean }): AsyncGenerator<PlainEntity, void, undefined>;
  history(lineageId: string, options?: { pageSize?: number; serializable?: boolean }): AsyncGenerator<PlainEntity, void, undefined>;
  update(lineageId: string, fn: (data: JsonObject) => JsonObject | Promise<JsonObject>,
    options?: OperationOptions): Promise<PlainEntity>;
  execute(lineageId: string, fn: string, args: JsonObject, options?: OperationOptions): Promise<PlainEntity>;
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
