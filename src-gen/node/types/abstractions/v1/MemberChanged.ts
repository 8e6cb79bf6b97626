// Original file: abstractions/v1/event.proto

import type { Entity as _abstractions_v1_Entity, Entity__Output as _abstractions_v1_Entity__Output } from '../../abstractions/v1/Entity';
import type { Long } from '@grpc/proto-loader';

export interface MemberChanged {
  'lineage_id'?: (string);
  'old_version'?: (number | string | Long);
  'new_version'?: (number | string | Long);
  'changed_paths'?: (string)[];
  'deleted'?: (boolean);
  'entity'?: (_abstractions_v1_Entity | null);
}

export interface MemberChanged__Output {
  'lineage_id': (string);
  'old_version': (string);
  'new_version': (string);
  'changed_paths': (string)[];
  'deleted': (boolean);
  'entity': (_abstractions_v1_Entity__Output | null);
}
