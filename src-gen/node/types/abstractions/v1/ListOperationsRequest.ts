// Original file: abstractions/v1/operation.proto

import type { OperationStatus as _abstractions_v1_OperationStatus, OperationStatus__Output as _abstractions_v1_OperationStatus__Output } from '../../abstractions/v1/OperationStatus';

export interface ListOperationsRequest {
  'target_lineage_id'?: (string);
  'statuses'?: (_abstractions_v1_OperationStatus)[];
  'page_size'?: (number);
  'page_token'?: (string);
}

export interface ListOperationsRequest__Output {
  'target_lineage_id': (string);
  'statuses': (_abstractions_v1_OperationStatus__Output)[];
  'page_size': (number);
  'page_token': (string);
}
