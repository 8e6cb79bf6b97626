// Original file: abstractions/v1/event.proto

import type { Long } from '@grpc/proto-loader';

export interface OperationSucceeded {
  'version'?: (number | string | Long);
  'ecs_id'?: (string);
}

export interface OperationSucceeded__Output {
  'version': (string);
  'ecs_id': (string);
}
