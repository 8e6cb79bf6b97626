// Original file: abstractions/v1/entity.proto

import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct';
import type { Long } from '@grpc/proto-loader';

export interface UpdateMember {
  'lineage_id'?: (string);
  'expected_version'?: (number | string | Long);
  'data'?: (_google_protobuf_Struct | null);
}

export interface UpdateMember__Output {
  'lineage_id': (string);
  'expected_version': (string);
  'data': (_google_protobuf_Struct__Output | null);
}
