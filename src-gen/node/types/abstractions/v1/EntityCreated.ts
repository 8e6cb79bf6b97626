// Original file: abstractions/v1/event.proto

import type { Entity as _abstractions_v1_Entity, Entity__Output as _abstractions_v1_Entity__Output } from '../../abstractions/v1/Entity';

export interface EntityCreated {
  'entity'?: (_abstractions_v1_Entity | null);
}

export interface EntityCreated__Output {
  'entity': (_abstractions_v1_Entity__Output | null);
}
