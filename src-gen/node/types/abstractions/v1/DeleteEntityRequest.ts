// Original file: abstractions/v1/entity.proto

import type { Long } from '@grpc/proto-loader';

export interface DeleteEntityRequest {
  'lineage_id'?: (string);
  'expected_version'?: (number | string | Long);
  'request_id'?: (string);
}

export interface DeleteEntityRequest__Output {
  'lineage_id': (string);
  'expected_version': (string);
  'request_id': (string);
}
