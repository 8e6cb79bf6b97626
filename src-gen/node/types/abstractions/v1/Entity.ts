// Original file: abstractions/v1/entity.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct';
import type { Long } from '@grpc/proto-loader';

export interface Entity {
  'lineage_id'?: (string);
  'ecs_id'?: (string);
  'previous_ecs_id'?: (string);
  'version'?: (number | string | Long);
  'last_modified_ns'?: (number | string | Long);
  'created_at'?: (_google_protobuf_Timestamp | null);
  'modified_at'?: (_google_protobuf_Timestamp | null);
  'entity_type'?: (string);
  'data'?: (_google_protobuf_Struct | null);
  'derived_from_op_id'?: (string);
  'derived_from_function'?: (string);
  'deleted'?: (boolean);
  'root_lineage_id'?: (string);
  'parent_lineage_id'?: (string);
  'tree_version'?: (number | string | Long);
}

export interface Entity__Output {
  'lineage_id': (string);
  'ecs_id': (string);
  'previous_ecs_id': (string);
  'version': (string);
  'last_modified_ns': (string);
  'created_at': (_google_protobuf_Timestamp__Output | null);
  'modified_at': (_google_protobuf_Timestamp__Output | null);
  'entity_type': (string);
  'data': (_google_protobuf_Struct__Output | null);
  'derived_from_op_id': (string);
  'derived_from_function': (string);
  'deleted': (boolean);
  'root_lineage_id': (string);
  'parent_lineage_id': (string);
  'tree_version': (string);
}
