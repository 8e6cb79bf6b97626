// Original file: abstractions/v1/operation.proto

import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct';

export interface CommitOperationRequest {
  'op_id'?: (string);
  'data'?: (_google_protobuf_Struct | null);
  'request_id'?: (string);
}

export interface CommitOperationRequest__Output {
  'op_id': (string);
  'data': (_google_protobuf_Struct__Output | null);
  'request_id': (string);
}
