// Original file: abstractions/v1/operation.proto

export const OperationStatus = {
  OPERATION_STATUS_UNSPECIFIED: 'OPERATION_STATUS_UNSPECIFIED',
  PENDING: 'PENDING',
  RETRYING: 'RETRYING',
  SUCCEEDED: 'SUCCEEDED',
  REJECTED: 'REJECTED',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
} as const;

export type OperationStatus =
  | 'OPERATION_STATUS_UNSPECIFIED'
  | 0
  | 'PENDING'
  | 1
  | 'RETRYING'
  | 2
  | 'SUCCEEDED'
  | 3
  | 'REJECTED'
  | 4
  | 'FAILED'
  | 5
  | 'CANCELLED'
  | 6

export type OperationStatus__Output = typeof OperationStatus[keyof typeof OperationStatus]
