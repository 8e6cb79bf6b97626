// Original file: abstractions/v1/operation.proto

import type { OperationEntity as _abstractions_v1_OperationEntity, OperationEntity__Output as _abstractions_v1_OperationEntity__Output } from '../../abstractions/v1/OperationEntity';

export interface ListOperationsResponse {
  'operations'?: (_abstractions_v1_OperationEntity)[];
  'next_page_token'?: (string);
}

export interface ListOperationsResponse__Output {
  'operations': (_abstractions_v1_OperationEntity__Output)[];
  'next_page_token': (string);
}
