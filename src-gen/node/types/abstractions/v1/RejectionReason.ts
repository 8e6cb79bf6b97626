// Original file: abstractions/v1/operation.proto

export const RejectionReason = {
  REJECTION_REASON_UNSPECIFIED: 'REJECTION_REASON_UNSPECIFIED',
  PREEMPTED: 'PREEMPTED',
  RETRIES_EXHAUSTED: 'RETRIES_EXHAUSTED',
  EXPIRED: 'EXPIRED',
} as const;

export type RejectionReason =
  | 'REJECTION_REASON_UNSPECIFIED'
  | 0
  | 'PREEMPTED'
  | 1
  | 'RETRIES_EXHAUSTED'
  | 2
  | 'EXPIRED'
  | 3

export type RejectionReason__Output = typeof RejectionReason[keyof typeof RejectionReason]
