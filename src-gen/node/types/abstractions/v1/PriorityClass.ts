// Original file: abstractions/v1/operation.proto

export const PriorityClass = {
  PRIORITY_CLASS_UNSPECIFIED: 'PRIORITY_CLASS_UNSPECIFIED',
  STRUCTURAL: 'STRUCTURAL',
  NORMAL: 'NORMAL',
  LOW: 'LOW',
} as const;

export type PriorityClass =
  | 'PRIORITY_CLASS_UNSPECIFIED'
  | 0
  | 'STRUCTURAL'
  | 1
  | 'NORMAL'
  | 2
  | 'LOW'
  | 3

export type PriorityClass__Output = typeof PriorityClass[keyof typeof PriorityClass]
