// Original file: abstractions/v1/entity.proto

import type { Entity as _abstractions_v1_Entity, Entity__Output as _abstractions_v1_Entity__Output } from '../../abstractions/v1/Entity';
import type { Long } from '@grpc/proto-loader';

export interface EntityHistoryResponse {
  'versions'?: (_abstractions_v1_Entity)[];
  'next_page_token'?: (string);
  'oldest_retained_version'?: (number | string | Long);
}

export interface EntityHistoryResponse__Output {
  'versions': (_abstractions_v1_Entity__Output)[];
  'next_page_token': (string);
  'oldest_retained_version': (string);
}
