// Original file: abstractions/v1/event.proto

import type { Long } from '@grpc/proto-loader';

export interface EntityDeleted {
  'version'?: (number | string | Long);
}

export interface EntityDeleted__Output {
  'version': (string);
}
