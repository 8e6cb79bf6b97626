// Original file: abstractions/v1/event.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { EntityCreated as _abstractions_v1_EntityCreated, EntityCreated__Output as _abstractions_v1_EntityCreated__Output } from '../../abstractions/v1/EntityCreated';
import type { EntityVersioned as _abstractions_v1_EntityVersioned, EntityVersioned__Output as _abstractions_v1_EntityVersioned__Output } from '../../abstractions/v1/EntityVersioned';
import type { EntityDeleted as _abstractions_v1_EntityDeleted, EntityDeleted__Output as _abstractions_v1_EntityDeleted__Output } from '../../abstractions/v1/EntityDeleted';
import type { OperationStarted as _abstractions_v1_OperationStarted, OperationStarted__Output as _abstractions_v1_OperationStarted__Output } from '../../abstractions/v1/OperationStarted';
import type { OperationConflict as _abstractions_v1_OperationConflict, OperationConflict__Output as _abstractions_v1_OperationConflict__Output } from '../../abstractions/v1/OperationConflict';
import type { OperationRetry as _abstractions_v1_OperationRetry, OperationRetry__Output as _abstractions_v1_OperationRetry__Output } from '../../abstractions/v1/OperationRetry';
import type { OperationRejected as _abstractions_v1_OperationRejected, OperationRejected__Output as _abstractions_v1_OperationRejected__Output } from '../../abstractions/v1/OperationRejected';
import type { OperationSucceeded as _abstractions_v1_OperationSucceeded, OperationSucceeded__Output as _abstractions_v1_OperationSucceeded__Output } from '../../abstractions/v1/OperationSucceeded';
import type { OperationFailed as _abstractions_v1_OperationFailed, OperationFailed__Output as _abstractions_v1_OperationFailed__Output } from '../../abstractions/v1/OperationFailed';
import type { OperationCancelled as _abstractions_v1_OperationCancelled, OperationCancelled__Output as _abstractions_v1_OperationCancelled__Output } from '../../abstractions/v1/OperationCancelled';
import type { Progress as _abstractions_v1_Progress, Progress__Output as _abstractions_v1_Progress__Output } from '../../abstractions/v1/Progress';
import type { TreeChanged as _abstractions_v1_TreeChanged, TreeChanged__Output as _abstractions_v1_TreeChanged__Output } from '../../abstractions/v1/TreeChanged';
import type { TreePromoted as _abstractions_v1_TreePromoted, TreePromoted__Output as _abstractions_v1_TreePromoted__Output } from '../../abstractions/v1/TreePromoted';
import type { TreeAttached as _abstractions_v1_TreeAttached, TreeAttached__Output as _abstractions_v1_TreeAttached__Output } from '../../abstractions/v1/TreeAttached';
import type { Long } from '@grpc/proto-loader';

export interface Event {
  'sequence'?: (number | string | Long);
  'time'?: (_google_protobuf_Timestamp | null);
  'priority'?: (number);
  'target_lineage_id'?: (string);
  'op_id'?: (string);
  'parent_op_id'?: (string);
  'resume_token'?: (string);
  'entity_type'?: (string);
  'root_lineage_id'?: (string);
  'entity_created'?: (_abstractions_v1_EntityCreated | null);
  'entity_versioned'?: (_abstractions_v1_EntityVersioned | null);
  'entity_deleted'?: (_abstractions_v1_EntityDeleted | null);
  'operation_started'?: (_abstractions_v1_OperationStarted | null);
  'operation_conflict'?: (_abstractions_v1_OperationConflict | null);
  'operation_retry'?: (_abstractions_v1_OperationRetry | null);
  'operation_rejected'?: (_abstractions_v1_OperationRejected | null);
  'operation_succeeded'?: (_abstractions_v1_OperationSucceeded | null);
  'operation_failed'?: (_abstractions_v1_OperationFailed | null);
  'operation_cancelled'?: (_abstractions_v1_OperationCancelled | null);
  'progress'?: (_abstractions_v1_Progress | null);
  'tree_changed'?: (_abstractions_v1_TreeChanged | null);
  'tree_promoted'?: (_abstractions_v1_TreePromoted | null);
  'tree_attached'?: (_abstractions_v1_TreeAttached | null);
  'kind'?: "entity_created"|"entity_versioned"|"entity_deleted"|"operation_started"|"operation_conflict"|"operation_retry"|"operation_rejected"|"operation_succeeded"|"operation_failed"|"operation_cancelled"|"progress"|"tree_changed"|"tree_promoted"|"tree_attached";
}

export interface Event__Output {
  'sequence': (string);
  'time': (_google_protobuf_Timestamp__Output | null);
  'priority': (number);
  'target_lineage_id': (string);
  'op_id': (string);
  'parent_op_id': (string);
  'resume_token': (string);
  'entity_type': (string);
  'root_lineage_id': (string);
  'entity_created'?: (_abstractions_v1_EntityCreated__Output | null);
  'entity_versioned'?: (_abstractions_v1_EntityVersioned__Output | null);
  'entity_deleted'?: (_abstractions_v1_EntityDeleted__Output | null);
  'operation_started'?: (_abstractions_v1_OperationStarted__Output | null);
  'operation_conflict'?: (_abstractions_v1_OperationConflict__Output | null);
  'operation_retry'?: (_abstractions_v1_OperationRetry__Output | null);
  'operation_rejected'?: (_abstractions_v1_OperationRejected__Output | null);
  'operation_succeeded'?: (_abstractions_v1_OperationSucceeded__Output | null);
  'operation_failed'?: (_abstractions_v1_OperationFailed__Output | null);
  'operation_cancelled'?: (_abstractions_v1_OperationCancelled__Output | null);
  'progress'?: (_abstractions_v1_Progress__Output | null);
  'tree_changed'?: (_abstractions_v1_TreeChanged__Output | null);
  'tree_promoted'?: (_abstractions_v1_TreePromoted__Output | null);
  'tree_attached'?: (_abstractions_v1_TreeAttached__Output | null);
  'kind'?: "entity_created"|"entity_versioned"|"entity_deleted"|"operation_started"|"operation_conflict"|"operation_retry"|"operation_rejected"|"operation_succeeded"|"operation_failed"|"operation_cancelled"|"progress"|"tree_changed"|"tree_promoted"|"tree_attached";
}
