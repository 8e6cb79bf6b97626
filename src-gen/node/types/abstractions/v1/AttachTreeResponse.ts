// Original file: abstractions/v1/entity.proto

import type { Entity as _abstractions_v1_Entity, Entity__Output as _abstractions_v1_Entity__Output } from '../../abstractions/v1/Entity';
import type { Long } from '@grpc/proto-loader';

export interface AttachTreeResponse {
  'root_lineage_id'?: (string);
  'tree_version'?: (number | string | Long);
  'written'?: (_abstractions_v1_Entity)[];
}

export interface AttachTreeResponse__Output {
  'root_lineage_id': (string);
  'tree_version': (string);
  'written': (_abstractions_v1_Entity__Output)[];
}
