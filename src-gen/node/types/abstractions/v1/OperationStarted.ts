// Original file: abstractions/v1/event.proto

import type { OperationEntity as _abstractions_v1_OperationEntity, OperationEntity__Output as _abstractions_v1_OperationEntity__Output } from '../../abstractions/v1/OperationEntity';

export interface OperationStarted {
  'operation'?: (_abstractions_v1_OperationEntity | null);
}

export interface OperationStarted__Output {
  'operation': (_abstractions_v1_OperationEntity__Output | null);
}
