// Original file: abstractions/v1/entity.proto

import type { CreateMember as _abstractions_v1_CreateMember, CreateMember__Output as _abstractions_v1_CreateMember__Output } from '../../abstractions/v1/CreateMember';
import type { UpdateMember as _abstractions_v1_UpdateMember, UpdateMember__Output as _abstractions_v1_UpdateMember__Output } from '../../abstractions/v1/UpdateMember';
import type { DeleteMember as _abstractions_v1_DeleteMember, DeleteMember__Output as _abstractions_v1_DeleteMember__Output } from '../../abstractions/v1/DeleteMember';

export interface TreeChange {
  'create'?: (_abstractions_v1_CreateMember | null);
  'update'?: (_abstractions_v1_UpdateMember | null);
  'delete'?: (_abstractions_v1_DeleteMember | null);
  'change'?: "create"|"update"|"delete";
}

export interface TreeChange__Output {
  'create'?: (_abstractions_v1_CreateMember__Output | null);
  'update'?: (_abstractions_v1_UpdateMember__Output | null);
  'delete'?: (_abstractions_v1_DeleteMember__Output | null);
  'change'?: "create"|"update"|"delete";
}
