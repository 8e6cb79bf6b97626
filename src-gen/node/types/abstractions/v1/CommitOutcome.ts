// Original file: abstractions/v1/operation.proto

export const CommitOutcome = {
  OUTCOME_UNSPECIFIED: 'OUTCOME_UNSPECIFIED',
  OUTCOME_COMMITTED: 'OUTCOME_COMMITTED',
  OUTCOME_CONFLICT: 'OUTCOME_CONFLICT',
  OUTCOME_REJECTED: 'OUTCOME_REJECTED',
  OUTCOME_FAILED: 'OUTCOME_FAILED',
} as const;

export type CommitOutcome =
  | 'OUTCOME_UNSPECIFIED'
  | 0
  | 'OUTCOME_COMMITTED'
  | 1
  | 'OUTCOME_CONFLICT'
  | 2
  | 'OUTCOME_REJECTED'
  | 3
  | 'OUTCOME_FAILED'
  | 4

export type CommitOutcome__Output = typeof CommitOutcome[keyof typeof CommitOutcome]
