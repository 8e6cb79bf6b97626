// Original file: abstractions/v1/entity.proto

import type { Entity as _abstractions_v1_Entity, Entity__Output as _abstractions_v1_Entity__Output } from '../../abstractions/v1/Entity';
import type { Long } from '@grpc/proto-loader';

export interface GetTreeResponse {
  'root_lineage_id'?: (string);
  'tree_version'?: (number | string | Long);
  'last_modified_ns'?: (number | string | Long);
  'members'?: (_abstractions_v1_Entity)[];
  'next_page_token'?: (string);
}

export interface GetTreeResponse__Output {
  'root_lineage_id': (string);
  'tree_version': (string);
  'last_modified_ns': (string);
  'members': (_abstractions_v1_Entity__Output)[];
  'next_page_token': (string);
}
