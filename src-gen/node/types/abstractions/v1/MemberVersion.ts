// Original file: abstractions/v1/entity.proto

import type { Long } from '@grpc/proto-loader';

export interface MemberVersion {
  'lineage_id'?: (string);
  'version'?: (number | string | Long);
  'ecs_id'?: (string);
  'deleted'?: (boolean);
  'derived_from_op_id'?: (string);
}

export interface MemberVersion__Output {
  'lineage_id': (string);
  'version': (string);
  'ecs_id': (string);
  'deleted': (boolean);
  'derived_from_op_id': (string);
}
