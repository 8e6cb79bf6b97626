from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AttachTreeRequest(_message.Message):
    __slots__ = ["expected_parent_tree_version", "expected_tree_version", "lineage_id", "parent_lineage_id", "priority", "request_id"]
    EXPECTED_PARENT_TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    expected_parent_tree_version: int
    expected_tree_version: int
    lineage_id: str
    parent_lineage_id: str
    priority: int
    request_id: str
    def __init__(self, lineage_id: _Optional[str] = ..., expected_tree_version: _Optional[int] = ..., parent_lineage_id: _Optional[str] = ..., expected_parent_tree_version: _Optional[int] = ..., request_id: _Optional[str] = ..., priority: _Optional[int] = ...) -> None: ...

class AttachTreeResponse(_message.Message):
    __slots__ = ["root_lineage_id", "tree_version", "written"]
    ROOT_LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    WRITTEN_FIELD_NUMBER: _ClassVar[int]
    root_lineage_id: str
    tree_version: int
    written: _containers.RepeatedCompositeFieldContainer[Entity]
    def __init__(self, root_lineage_id: _Optional[str] = ..., tree_version: _Optional[int] = ..., written: _Optional[_Iterable[_Union[Entity, _Mapping]]] = ...) -> None: ...

class CreateEntityRequest(_message.Message):
    __slots__ = ["data", "entity_type", "lineage_id", "parent_lineage_id", "request_id"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    ENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    data: _struct_pb2.Struct
    entity_type: str
    lineage_id: str
    parent_lineage_id: str
    request_id: str
    def __init__(self, lineage_id: _Optional[str] = ..., entity_type: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., request_id: _Optional[str] = ..., parent_lineage_id: _Optional[str] = ...) -> None: ...

class CreateMember(_message.Message):
    __slots__ = ["data", "entity_type", "lineage_id", "parent_lineage_id"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    ENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    data: _struct_pb2.Struct
    entity_type: str
    lineage_id: str
    parent_lineage_id: str
    def __init__(self, lineage_id: _Optional[str] = ..., parent_lineage_id: _Optional[str] = ..., entity_type: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class DeleteEntityRequest(_message.Message):
    __slots__ = ["expected_version", "lineage_id", "request_id"]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    expected_version: int
    lineage_id: str
    request_id: str
    def __init__(self, lineage_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., request_id: _Optional[str] = ...) -> None: ...

class DeleteMember(_message.Message):
    __slots__ = ["expected_version", "lineage_id"]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    expected_version: int
    lineage_id: str
    def __init__(self, lineage_id: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class Entity(_message.Message):
    __slots__ = ["created_at", "data", "deleted", "derived_from_function", "derived_from_op_id", "ecs_id", "entity_type", "last_modified_ns", "lineage_id", "modified_at", "parent_lineage_id", "previous_ecs_id", "root_lineage_id", "tree_version", "version"]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    DELETED_FIELD_NUMBER: _ClassVar[int]
    DERIVED_FROM_FUNCTION_FIELD_NUMBER: _ClassVar[int]
    DERIVED_FROM_OP_ID_FIELD_NUMBER: _ClassVar[int]
    ECS_ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    LAST_MODIFIED_NS_FIELD_NUMBER: _ClassVar[int]
    LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    PARENT_LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_ECS_ID_FIELD_NUMBER: _ClassVar[int]
    ROOT_LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    created_at: _timestamp_pb2.Timestamp
    data: _struct_pb2.Struct
    deleted: bool
    derived_from_function: str
    derived_from_op_id: str
    ecs_id: str
    entity_type: str
    last_modified_ns: int
    lineage_id: str
    modified_at: _timestamp_pb2.Timestamp
    parent_lineage_id: str
    previous_ecs_id: str
    root_lineage_id: str
    tree_version: int
    version: int
    def __init__(self, lineage_id: _Optional[str] = ..., ecs_id: _Optional[str] = ..., previous_ecs_id: _Optional[str] = ..., version: _Optional[int] = ..., last_modified_ns: _Optional[int] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., modified_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., entity_type: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., derived_from_op_id: _Optional[str] = ..., derived_from_function: _Optional[str] = ..., deleted: bool = ..., root_lineage_id: _Optional[str] = ..., parent_lineage_id: _Optional[str] = ..., tree_version: _Optional[int] = ...) -> None: ...

class EntityHistoryRequest(_message.Message):
    __slots__ = ["lineage_id", "page_size", "page_token", "serializable"]
    LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SERIALIZABLE_FIELD_NUMBER: _ClassVar[int]
    lineage_id: str
    page_size: int
    page_token: str
    serializable: bool
    def __init__(self, lineage_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., serializable: bool = ...) -> None: ...

class EntityHistoryResponse(_message.Message):
    __slots__ = ["next_page_token", "oldest_retained_version", "versions"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    OLDEST_RETAINED_VERSION_FIELD_NUMBER: _ClassVar[int]
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    oldest_retained_version: int
    versions: _containers.RepeatedCompositeFieldContainer[Entity]
    def __init__(self, versions: _Optional[_Iterable[_Union[Entity, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., oldest_retained_version: _Optional[int] = ...) -> None: ...

class GetEntityRequest(_message.Message):
    __slots__ = ["lineage_id", "serializable", "version"]
    LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    SERIALIZABLE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    lineage_id: str
    serializable: bool
    version: int
    def __init__(self, lineage_id: _Optional[str] = ..., version: _Optional[int] = ..., serializable: bool = ...) -> None: ...

class GetTreeRequest(_message.Message):
    __slots__ = ["page_size", "page_token", "root_lineage_id", "serializable", "tree_version"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ROOT_LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    SERIALIZABLE_FIELD_NUMBER: _ClassVar[int]
    TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    root_lineage_id: str
    serializable: bool
    tree_version: int
    def __init__(self, root_lineage_id: _Optional[str] = ..., tree_version: _Optional[int] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., serializable: bool = ...) -> None: ...

class GetTreeResponse(_message.Message):
    __slots__ = ["last_modified_ns", "members", "next_page_token", "root_lineage_id", "tree_version"]
    LAST_MODIFIED_NS_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ROOT_LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    last_modified_ns: int
    members: _containers.RepeatedCompositeFieldContainer[Entity]
    next_page_token: str
    root_lineage_id: str
    tree_version: int
    def __init__(self, root_lineage_id: _Optional[str] = ..., tree_version: _Optional[int] = ..., last_modified_ns: _Optional[int] = ..., members: _Optional[_Iterable[_Union[Entity, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListEntitiesRequest(_message.Message):
    __slots__ = ["entity_type", "page_size", "page_token", "serializable"]
    ENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SERIALIZABLE_FIELD_NUMBER: _ClassVar[int]
    entity_type: str
    page_size: int
    page_token: str
    serializable: bool
    def __init__(self, entity_type: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., serializable: bool = ...) -> None: ...

class ListEntitiesResponse(_message.Message):
    __slots__ = ["entities", "next_page_token"]
    ENTITIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    entities: _containers.RepeatedCompositeFieldContainer[Entity]
    next_page_token: str
    def __init__(self, entities: _Optional[_Iterable[_Union[Entity, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class MemberVersion(_message.Message):
    __slots__ = ["deleted", "derived_from_op_id", "ecs_id", "lineage_id", "version"]
    DELETED_FIELD_NUMBER: _ClassVar[int]
    DERIVED_FROM_OP_ID_FIELD_NUMBER: _ClassVar[int]
    ECS_ID_FIELD_NUMBER: _ClassVar[int]
    LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    deleted: bool
    derived_from_op_id: str
    ecs_id: str
    lineage_id: str
    version: int
    def __init__(self, lineage_id: _Optional[str] = ..., version: _Optional[int] = ..., ecs_id: _Optional[str] = ..., deleted: bool = ..., derived_from_op_id: _Optional[str] = ...) -> None: ...

class PromoteTreeMemberRequest(_message.Message):
    __slots__ = ["expected_tree_version", "lineage_id", "priority", "request_id"]
    EXPECTED_TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    expected_tree_version: int
    lineage_id: str
    priority: int
    request_id: str
    def __init__(self, lineage_id: _Optional[str] = ..., expected_tree_version: _Optional[int] = ..., request_id: _Optional[str] = ..., priority: _Optional[int] = ...) -> None: ...

class PromoteTreeMemberResponse(_message.Message):
    __slots__ = ["old_root_lineage_id", "tree_version", "written"]
    OLD_ROOT_LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    WRITTEN_FIELD_NUMBER: _ClassVar[int]
    old_root_lineage_id: str
    tree_version: int
    written: _containers.RepeatedCompositeFieldContainer[Entity]
    def __init__(self, old_root_lineage_id: _Optional[str] = ..., tree_version: _Optional[int] = ..., written: _Optional[_Iterable[_Union[Entity, _Mapping]]] = ...) -> None: ...

class TreeChange(_message.Message):
    __slots__ = ["create", "delete", "update"]
    CREATE_FIELD_NUMBER: _ClassVar[int]
    DELETE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_FIELD_NUMBER: _ClassVar[int]
    create: CreateMember
    delete: DeleteMember
    update: UpdateMember
    def __init__(self, create: _Optional[_Union[CreateMember, _Mapping]] = ..., update: _Optional[_Union[UpdateMember, _Mapping]] = ..., delete: _Optional[_Union[DeleteMember, _Mapping]] = ...) -> None: ...

class TreeHistoryRequest(_message.Message):
    __slots__ = ["page_size", "page_token", "root_lineage_id", "serializable"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ROOT_LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    SERIALIZABLE_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    root_lineage_id: str
    serializable: bool
    def __init__(self, root_lineage_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., serializable: bool = ...) -> None: ...

class TreeHistoryResponse(_message.Message):
    __slots__ = ["next_page_token", "oldest_retained_tree_version", "versions"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    OLDEST_RETAINED_TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    oldest_retained_tree_version: int
    versions: _containers.RepeatedCompositeFieldContainer[TreeVersion]
    def __init__(self, versions: _Optional[_Iterable[_Union[TreeVersion, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., oldest_retained_tree_version: _Optional[int] = ...) -> None: ...

class TreeVersion(_message.Message):
    __slots__ = ["changed", "last_modified_ns", "tree_version"]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    LAST_MODIFIED_NS_FIELD_NUMBER: _ClassVar[int]
    TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    changed: _containers.RepeatedCompositeFieldContainer[MemberVersion]
    last_modified_ns: int
    tree_version: int
    def __init__(self, tree_version: _Optional[int] = ..., last_modified_ns: _Optional[int] = ..., changed: _Optional[_Iterable[_Union[MemberVersion, _Mapping]]] = ...) -> None: ...

class UpdateEntityRequest(_message.Message):
    __slots__ = ["data", "expected_version", "lineage_id", "request_id"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    data: _struct_pb2.Struct
    expected_version: int
    lineage_id: str
    request_id: str
    def __init__(self, lineage_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class UpdateMember(_message.Message):
    __slots__ = ["data", "expected_version", "lineage_id"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    data: _struct_pb2.Struct
    expected_version: int
    lineage_id: str
    def __init__(self, lineage_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class WriteTreeRequest(_message.Message):
    __slots__ = ["changes", "expected_tree_version", "request_id", "root_lineage_id"]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ROOT_LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    changes: _containers.RepeatedCompositeFieldContainer[TreeChange]
    expected_tree_version: int
    request_id: str
    root_lineage_id: str
    def __init__(self, root_lineage_id: _Optional[str] = ..., expected_tree_version: _Optional[int] = ..., changes: _Optional[_Iterable[_Union[TreeChange, _Mapping]]] = ..., request_id: _Optional[str] = ...) -> None: ...

class WriteTreeResponse(_message.Message):
    __slots__ = ["tree_version", "written"]
    TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    WRITTEN_FIELD_NUMBER: _ClassVar[int]
    tree_version: int
    written: _containers.RepeatedCompositeFieldContainer[Entity]
    def __init__(self, tree_version: _Optional[int] = ..., written: _Optional[_Iterable[_Union[Entity, _Mapping]]] = ...) -> None: ...
