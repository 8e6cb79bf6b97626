// Original file: abstractions/v1/event.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

export interface OperationRetry {
  'retry_count'?: (number);
  'max_retries'?: (number);
  'retry_after'?: (_google_protobuf_Duration | null);
}

export interface OperationRetry__Output {
  'retry_count': (number);
  'max_retries': (number);
  'retry_after': (_google_protobuf_Duration__Output | null);
}
