// Original file: abstractions/v1/operation.proto

import type { CommitOutcome as _abstractions_v1_CommitOutcome, CommitOutcome__Output as _abstractions_v1_CommitOutcome__Output } from '../../abstractions/v1/CommitOutcome';
import type { OperationEntity as _abstractions_v1_OperationEntity, OperationEntity__Output as _abstractions_v1_OperationEntity__Output } from '../../abstractions/v1/OperationEntity';
import type { Entity as _abstractions_v1_Entity, Entity__Output as _abstractions_v1_Entity__Output } from '../../abstractions/v1/Entity';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
import type { Long } from '@grpc/proto-loader';

export interface CommitOperationResponse {
  'outcome'?: (_abstractions_v1_CommitOutcome);
  'operation'?: (_abstractions_v1_OperationEntity | null);
  'entity'?: (_abstractions_v1_Entity | null);
  'retry_after'?: (_google_protobuf_Duration | null);
  'charged'?: (boolean);
  'tree_version'?: (number | string | Long);
  'written'?: (_abstractions_v1_Entity)[];
}

export interface CommitOperationResponse__Output {
  'outcome': (_abstractions_v1_CommitOutcome__Output);
  'operation': (_abstractions_v1_OperationEntity__Output | null);
  'entity': (_abstractions_v1_Entity__Output | null);
  'retry_after': (_google_protobuf_Duration__Output | null);
  'charged': (boolean);
  'tree_version': (string);
  'written': (_abstractions_v1_Entity__Output)[];
}
