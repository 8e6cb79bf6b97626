// Original file: abstractions/v1/entity.proto

import type { TreeChange as _abstractions_v1_TreeChange, TreeChange__Output as _abstractions_v1_TreeChange__Output } from '../../abstractions/v1/TreeChange';
import type { Long } from '@grpc/proto-loader';

export interface WriteTreeRequest {
  'root_lineage_id'?: (string);
  'expected_tree_version'?: (number | string | Long);
  'changes'?: (_abstractions_v1_TreeChange)[];
  'request_id'?: (string);
}

export interface WriteTreeRequest__Output {
  'root_lineage_id': (string);
  'expected_tree_version': (string);
  'changes': (_abstractions_v1_TreeChange__Output)[];
  'request_id': (string);
}
