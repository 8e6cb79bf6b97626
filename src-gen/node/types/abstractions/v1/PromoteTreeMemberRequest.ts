// Original file: abstractions/v1/entity.proto

import type { Long } from '@grpc/proto-loader';

export interface PromoteTreeMemberRequest {
  'lineage_id'?: (string);
  'expected_tree_version'?: (number | string | Long);
  'request_id'?: (string);
  'priority'?: (number);
}

export interface PromoteTreeMemberRequest__Output {
  'lineage_id': (string);
  'expected_tree_version': (string);
  'request_id': (string);
  'priority': (number);
}
