// Original file: abstractions/v1/entity.proto

import type { Entity as _abstractions_v1_Entity, Entity__Output as _abstractions_v1_Entity__Output } from '../../abstractions/v1/Entity';

export interface ListEntitiesResponse {
  'entities'?: (_abstractions_v1_Entity)[];
  'next_page_token'?: (string);
}

export interface ListEntitiesResponse__Output {
  'entities': (_abstractions_v1_Entity__Output)[];
  'next_page_token': (string);
}
