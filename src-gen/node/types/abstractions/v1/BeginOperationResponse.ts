// Original file: abstractions/v1/operation.proto

import type { OperationEntity as _abstractions_v1_OperationEntity, OperationEntity__Output as _abstractions_v1_OperationEntity__Output } from '../../abstractions/v1/OperationEntity';
import type { Entity as _abstractions_v1_Entity, Entity__Output as _abstractions_v1_Entity__Output } from '../../abstractions/v1/Entity';
import type { Long } from '@grpc/proto-loader';

export interface BeginOperationResponse {
  'operation'?: (_abstractions_v1_OperationEntity | null);
  'snapshot'?: (_abstractions_v1_Entity | null);
  'snapshot_tree_version'?: (number | string | Long);
}

export interface BeginOperationResponse__Output {
  'operation': (_abstractions_v1_OperationEntity__Output | null);
  'snapshot': (_abstractions_v1_Entity__Output | null);
  'snapshot_tree_version': (string);
}
