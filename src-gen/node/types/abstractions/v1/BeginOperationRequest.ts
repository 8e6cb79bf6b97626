// Original file: abstractions/v1/operation.proto

import type { PriorityClass as _abstractions_v1_PriorityClass, PriorityClass__Output as _abstractions_v1_PriorityClass__Output } from '../../abstractions/v1/PriorityClass';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

export interface BeginOperationRequest {
  'target_lineage_id'?: (string);
  'priority_class'?: (_abstractions_v1_PriorityClass);
  'priority'?: (number);
  'max_retries'?: (number);
  'op_type'?: (string);
  'parent_op_id'?: (string);
  'ttl'?: (_google_protobuf_Duration | null);
  'request_id'?: (string);
  '_priority'?: "priority";
  '_max_retries'?: "max_retries";
}

export interface BeginOperationRequest__Output {
  'target_lineage_id': (string);
  'priority_class': (_abstractions_v1_PriorityClass__Output);
  'priority'?: (number);
  'max_retries'?: (number);
  'op_type': (string);
  'parent_op_id': (string);
  'ttl': (_google_protobuf_Duration__Output | null);
  'request_id': (string);
  '_priority'?: "priority";
  '_max_retries'?: "max_retries";
}
