// Original file: abstractions/v1/event.proto

import type { Long } from '@grpc/proto-loader';

export interface OperationConflict {
  'snapshot_version'?: (number | string | Long);
  'current_version'?: (number | string | Long);
  'winner_op_id'?: (string);
  'charged'?: (boolean);
}

export interface OperationConflict__Output {
  'snapshot_version': (string);
  'current_version': (string);
  'winner_op_id': (string);
  'charged': (boolean);
}
