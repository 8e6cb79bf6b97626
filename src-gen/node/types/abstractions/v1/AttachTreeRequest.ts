// Original file: abstractions/v1/entity.proto

import type { Long } from '@grpc/proto-loader';

export interface AttachTreeRequest {
  'lineage_id'?: (string);
  'expected_tree_version'?: (number | string | Long);
  'parent_lineage_id'?: (string);
  'expected_parent_tree_version'?: (number | string | Long);
  'request_id'?: (string);
  'priority'?: (number);
}

export interface AttachTreeRequest__Output {
  'lineage_id': (string);
  'expected_tree_version': (string);
  'parent_lineage_id': (string);
  'expected_parent_tree_version': (string);
  'request_id': (string);
  'priority': (number);
}
