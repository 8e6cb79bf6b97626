// Original file: abstractions/v1/operation.proto

import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct';
import type { PriorityClass as _abstractions_v1_PriorityClass, PriorityClass__Output as _abstractions_v1_PriorityClass__Output } from '../../abstractions/v1/PriorityClass';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

export interface ExecuteRequest {
  'target_lineage_id'?: (string);
  'function'?: (string);
  'args'?: (_google_protobuf_Struct | null);
  'priority_class'?: (_abstractions_v1_PriorityClass);
  'priority'?: (number);
  'max_retries'?: (number);
  'op_type'?: (string);
  'parent_op_id'?: (string);
  'ttl'?: (_google_protobuf_Duration | null);
  'request_id'?: (string);
  'member_lineage_id'?: (string);
  '_priority'?: "priority";
  '_max_retries'?: "max_retries";
}

export interface ExecuteRequest__Output {
  'target_lineage_id': (string);
  'function': (string);
  'args': (_google_protobuf_Struct__Output | null);
  'priority_class': (_abstractions_v1_PriorityClass__Output);
  'priority'?: (number);
  'max_retries'?: (number);
  'op_type': (string);
  'parent_op_id': (string);
  'ttl': (_google_protobuf_Duration__Output | null);
  'request_id': (string);
  'member_lineage_id': (string);
  '_priority'?: "priority";
  '_max_retries'?: "max_retries";
}
