// Original file: abstractions/v1/event.proto

import type { RejectionReason as _abstractions_v1_RejectionReason, RejectionReason__Output as _abstractions_v1_RejectionReason__Output } from '../../abstractions/v1/RejectionReason';

export interface OperationRejected {
  'reason'?: (_abstractions_v1_RejectionReason);
  'preempted_by_op_id'?: (string);
}

export interface OperationRejected__Output {
  'reason': (_abstractions_v1_RejectionReason__Output);
  'preempted_by_op_id': (string);
}
