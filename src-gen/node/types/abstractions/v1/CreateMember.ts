// Original file: abstractions/v1/entity.proto

import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct';

export interface CreateMember {
  'lineage_id'?: (string);
  'parent_lineage_id'?: (string);
  'entity_type'?: (string);
  'data'?: (_google_protobuf_Struct | null);
}

export interface CreateMember__Output {
  'lineage_id': (string);
  'parent_lineage_id': (string);
  'entity_type': (string);
  'data': (_google_protobuf_Struct__Output | null);
}
