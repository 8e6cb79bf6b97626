// Original file: abstractions/v1/operation.proto

import type { CommitOutcome as _abstractions_v1_CommitOutcome, CommitOutcome__Output as _abstractions_v1_CommitOutcome__Output } from '../../abstractions/v1/CommitOutcome';
import type { OperationEntity as _abstractions_v1_OperationEntity, OperationEntity__Output as _abstractions_v1_OperationEntity__Output } from '../../abstractions/v1/OperationEntity';
import type { Entity as _abstractions_v1_Entity, Entity__Output as _abstractions_v1_Entity__Output } from '../../abstractions/v1/Entity';

export interface ExecuteResponse {
  'outcome'?: (_abstractions_v1_CommitOutcome);
  'operation'?: (_abstractions_v1_OperationEntity | null);
  'entity'?: (_abstractions_v1_Entity | null);
}

export interface ExecuteResponse__Output {
  'outcome': (_abstractions_v1_CommitOutcome__Output);
  'operation': (_abstractions_v1_OperationEntity__Output | null);
  'entity': (_abstractions_v1_Entity__Output | null);
}
