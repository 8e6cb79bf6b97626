// Original file: abstractions/v1/entity.proto

import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct';

export interface CreateEntityRequest {
  'lineage_id'?: (string);
  'entity_type'?: (string);
  'data'?: (_google_protobuf_Struct | null);
  'request_id'?: (string);
  'parent_lineage_id'?: (string);
}

export interface CreateEntityRequest__Output {
  'lineage_id': (string);
  'entity_type': (string);
  'data': (_google_protobuf_Struct__Output | null);
  'request_id': (string);
  'parent_lineage_id': (string);
}
