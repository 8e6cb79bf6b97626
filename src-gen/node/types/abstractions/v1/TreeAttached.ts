// Original file: abstractions/v1/event.proto

import type { MemberChanged as _abstractions_v1_MemberChanged, MemberChanged__Output as _abstractions_v1_MemberChanged__Output } from '../../abstractions/v1/MemberChanged';
import type { Long } from '@grpc/proto-loader';

export interface TreeAttached {
  'old_tree_version'?: (number | string | Long);
  'attached_tree_version'?: (number | string | Long);
  'tree_version'?: (number | string | Long);
  'members'?: (_abstractions_v1_MemberChanged)[];
}

export interface TreeAttached__Output {
  'old_tree_version': (string);
  'attached_tree_version': (string);
  'tree_version': (string);
  'members': (_abstractions_v1_MemberChanged__Output)[];
}
