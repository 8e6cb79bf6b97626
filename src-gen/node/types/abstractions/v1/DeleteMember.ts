// Original file: abstractions/v1/entity.proto

import type { Long } from '@grpc/proto-loader';

export interface DeleteMember {
  'lineage_id'?: (string);
  'expected_version'?: (number | string | Long);
}

export interface DeleteMember__Output {
  'lineage_id': (string);
  'expected_version': (string);
}
