// Original file: abstractions/v1/event.proto

import type { Long } from '@grpc/proto-loader';

export interface Progress {
  'head_sequence'?: (number | string | Long);
}

export interface Progress__Output {
  'head_sequence': (string);
}
