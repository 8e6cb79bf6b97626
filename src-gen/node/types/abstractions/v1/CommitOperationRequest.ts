// Original file: abstractions/v1/operation.proto

import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct';
import type { TreeChange as _abstractions_v1_TreeChange, TreeChange__Output as _abstractions_v1_TreeChange__Output } from '../../abstractions/v1/TreeChange';

export interface CommitOperationRequest {
  'op_id'?: (string);
  'data'?: (_google_protobuf_Struct | null);
  'request_id'?: (string);
  'tree_changes'?: (_abstractions_v1_TreeChange)[];
}

export interface CommitOperationRequest__Output {
  'op_id': (string);
  'data': (_google_protobuf_Struct__Output | null);
  'request_id': (string);
  'tree_changes': (_abstractions_v1_TreeChange__Output)[];
}
