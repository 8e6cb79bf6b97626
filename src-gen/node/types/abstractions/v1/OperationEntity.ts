// Original file: abstractions/v1/operation.proto

import type { PriorityClass as _abstractions_v1_PriorityClass, PriorityClass__Output as _abstractions_v1_PriorityClass__Output } from '../../abstractions/v1/PriorityClass';
import type { OperationStatus as _abstractions_v1_OperationStatus, OperationStatus__Output as _abstractions_v1_OperationStatus__Output } from '../../abstractions/v1/OperationStatus';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { RejectionReason as _abstractions_v1_RejectionReason, RejectionReason__Output as _abstractions_v1_RejectionReason__Output } from '../../abstractions/v1/RejectionReason';
import type { Long } from '@grpc/proto-loader';

export interface OperationEntity {
  'op_id'?: (string);
  'op_type'?: (string);
  'priority_class'?: (_abstractions_v1_PriorityClass);
  'priority'?: (number);
  'effective_priority'?: (number);
  'target_lineage_id'?: (string);
  'retry_count'?: (number);
  'max_retries'?: (number);
  'parent_op_id'?: (string);
  'status'?: (_abstractions_v1_OperationStatus);
  'created_at_ns'?: (number | string | Long);
  'started_at'?: (_google_protobuf_Timestamp | null);
  'completed_at'?: (_google_protobuf_Timestamp | null);
  'snapshot_version'?: (number | string | Long);
  'rejection_reason'?: (_abstractions_v1_RejectionReason);
  'preempted_by_op_id'?: (string);
  'deadline'?: (_google_protobuf_Timestamp | null);
  'failure_message'?: (string);
  'committed_version'?: (number | string | Long);
  'committed_tree_version'?: (number | string | Long);
}

export interface OperationEntity__Output {
  'op_id': (string);
  'op_type': (string);
  'priority_class': (_abstractions_v1_PriorityClass__Output);
  'priority': (number);
  'effective_priority': (number);
  'target_lineage_id': (string);
  'retry_count': (number);
  'max_retries': (number);
  'parent_op_id': (string);
  'status': (_abstractions_v1_OperationStatus__Output);
  'created_at_ns': (string);
  'started_at': (_google_protobuf_Timestamp__Output | null);
  'completed_at': (_google_protobuf_Timestamp__Output | null);
  'snapshot_version': (string);
  'rejection_reason': (_abstractions_v1_RejectionReason__Output);
  'preempted_by_op_id': (string);
  'deadline': (_google_protobuf_Timestamp__Output | null);
  'failure_message': (string);
  'committed_version': (string);
  'committed_tree_version': (string);
}
