from abstractions.v1 import entity_pb2 as _entity_pb2
from abstractions.v1 import operation_pb2 as _operation_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
EVENT_ENTITY_CREATED: EventKind
EVENT_ENTITY_DELETED: EventKind
EVENT_ENTITY_VERSIONED: EventKind
EVENT_KIND_UNSPECIFIED: EventKind
EVENT_OPERATION_CANCELLED: EventKind
EVENT_OPERATION_CONFLICT: EventKind
EVENT_OPERATION_FAILED: EventKind
EVENT_OPERATION_REJECTED: EventKind
EVENT_OPERATION_RETRY: EventKind
EVENT_OPERATION_STARTED: EventKind
EVENT_OPERATION_SUCCEEDED: EventKind
EVENT_TREE_ATTACHED: EventKind
EVENT_TREE_CHANGED: EventKind
EVENT_TREE_PROMOTED: EventKind

class EntityCreated(_message.Message):
    __slots__ = ["entity"]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    entity: _entity_pb2.Entity
    def __init__(self, entity: _Optional[_Union[_entity_pb2.Entity, _Mapping]] = ...) -> None: ...

class EntityDeleted(_message.Message):
    __slots__ = ["version"]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: int
    def __init__(self, version: _Optional[int] = ...) -> None: ...

class EntityVersioned(_message.Message):
    __slots__ = ["changed_paths", "entity", "new_version", "old_version"]
    CHANGED_PATHS_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    NEW_VERSION_FIELD_NUMBER: _ClassVar[int]
    OLD_VERSION_FIELD_NUMBER: _ClassVar[int]
    changed_paths: _containers.RepeatedScalarFieldContainer[str]
    entity: _entity_pb2.Entity
    new_version: int
    old_version: int
    def __init__(self, old_version: _Optional[int] = ..., new_version: _Optional[int] = ..., changed_paths: _Optional[_Iterable[str]] = ..., entity: _Optional[_Union[_entity_pb2.Entity, _Mapping]] = ...) -> None: ...

class Event(_message.Message):
    __slots__ = ["entity_created", "entity_deleted", "entity_type", "entity_versioned", "op_id", "operation_cancelled", "operation_conflict", "operation_failed", "operation_rejected", "operation_retry", "operation_started", "operation_succeeded", "parent_op_id", "priority", "progress", "resume_token", "root_lineage_id", "sequence", "target_lineage_id", "time", "tree_attached", "tree_changed", "tree_promoted"]
    ENTITY_CREATED_FIELD_NUMBER: _ClassVar[int]
    ENTITY_DELETED_FIELD_NUMBER: _ClassVar[int]
    ENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    ENTITY_VERSIONED_FIELD_NUMBER: _ClassVar[int]
    OPERATION_CANCELLED_FIELD_NUMBER: _ClassVar[int]
    OPERATION_CONFLICT_FIELD_NUMBER: _ClassVar[int]
    OPERATION_FAILED_FIELD_NUMBER: _ClassVar[int]
    OPERATION_REJECTED_FIELD_NUMBER: _ClassVar[int]
    OPERATION_RETRY_FIELD_NUMBER: _ClassVar[int]
    OPERATION_STARTED_FIELD_NUMBER: _ClassVar[int]
    OPERATION_SUCCEEDED_FIELD_NUMBER: _ClassVar[int]
    OP_ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_OP_ID_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    RESUME_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ROOT_LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TARGET_LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    TREE_ATTACHED_FIELD_NUMBER: _ClassVar[int]
    TREE_CHANGED_FIELD_NUMBER: _ClassVar[int]
    TREE_PROMOTED_FIELD_NUMBER: _ClassVar[int]
    entity_created: EntityCreated
    entity_deleted: EntityDeleted
    entity_type: str
    entity_versioned: EntityVersioned
    op_id: str
    operation_cancelled: OperationCancelled
    operation_conflict: OperationConflict
    operation_failed: OperationFailed
    operation_rejected: OperationRejected
    operation_retry: OperationRetry
    operation_started: OperationStarted
    operation_succeeded: OperationSucceeded
    parent_op_id: str
    priority: int
    progress: Progress
    resume_token: str
    root_lineage_id: str
    sequence: int
    target_lineage_id: str
    time: _timestamp_pb2.Timestamp
    tree_attached: TreeAttached
    tree_changed: TreeChanged
    tree_promoted: TreePromoted
    def __init__(self, sequence: _Optional[int] = ..., time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., priority: _Optional[int] = ..., target_lineage_id: _Optional[str] = ..., op_id: _Optional[str] = ..., parent_op_id: _Optional[str] = ..., resume_token: _Optional[str] = ..., entity_type: _Optional[str] = ..., root_lineage_id: _Optional[str] = ..., entity_created: _Optional[_Union[EntityCreated, _Mapping]] = ..., entity_versioned: _Optional[_Union[EntityVersioned, _Mapping]] = ..., entity_deleted: _Optional[_Union[EntityDeleted, _Mapping]] = ..., operation_started: _Optional[_Union[OperationStarted, _Mapping]] = ..., operation_conflict: _Optional[_Union[OperationConflict, _Mapping]] = ..., operation_retry: _Optional[_Union[OperationRetry, _Mapping]] = ..., operation_rejected: _Optional[_Union[OperationRejected, _Mapping]] = ..., operation_succeeded: _Optional[_Union[OperationSucceeded, _Mapping]] = ..., operation_failed: _Optional[_Union[OperationFailed, _Mapping]] = ..., operation_cancelled: _Optional[_Union[OperationCancelled, _Mapping]] = ..., progress: _Optional[_Union[Progress, _Mapping]] = ..., tree_changed: _Optional[_Union[TreeChanged, _Mapping]] = ..., tree_promoted: _Optional[_Union[TreePromoted, _Mapping]] = ..., tree_attached: _Optional[_Union[TreeAttached, _Mapping]] = ...) -> None: ...

class EventFilter(_message.Message):
    __slots__ = ["entity_types", "kinds", "lineage_ids", "min_priority", "op_ids", "root_lineage_ids"]
    ENTITY_TYPES_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    LINEAGE_IDS_FIELD_NUMBER: _ClassVar[int]
    MIN_PRIORITY_FIELD_NUMBER: _ClassVar[int]
    OP_IDS_FIELD_NUMBER: _ClassVar[int]
    ROOT_LINEAGE_IDS_FIELD_NUMBER: _ClassVar[int]
    entity_types: _containers.RepeatedScalarFieldContainer[str]
    kinds: _containers.RepeatedScalarFieldContainer[EventKind]
    lineage_ids: _containers.RepeatedScalarFieldContainer[str]
    min_priority: int
    op_ids: _containers.RepeatedScalarFieldContainer[str]
    root_lineage_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, kinds: _Optional[_Iterable[_Union[EventKind, str]]] = ..., lineage_ids: _Optional[_Iterable[str]] = ..., entity_types: _Optional[_Iterable[str]] = ..., op_ids: _Optional[_Iterable[str]] = ..., min_priority: _Optional[int] = ..., root_lineage_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class MemberChanged(_message.Message):
    __slots__ = ["changed_paths", "deleted", "entity", "lineage_id", "new_version", "old_version"]
    CHANGED_PATHS_FIELD_NUMBER: _ClassVar[int]
    DELETED_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    NEW_VERSION_FIELD_NUMBER: _ClassVar[int]
    OLD_VERSION_FIELD_NUMBER: _ClassVar[int]
    changed_paths: _containers.RepeatedScalarFieldContainer[str]
    deleted: bool
    entity: _entity_pb2.Entity
    lineage_id: str
    new_version: int
    old_version: int
    def __init__(self, lineage_id: _Optional[str] = ..., old_version: _Optional[int] = ..., new_version: _Optional[int] = ..., changed_paths: _Optional[_Iterable[str]] = ..., deleted: bool = ..., entity: _Optional[_Union[_entity_pb2.Entity, _Mapping]] = ...) -> None: ...

class OperationCancelled(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class OperationConflict(_message.Message):
    __slots__ = ["charged", "current_version", "snapshot_version", "winner_op_id"]
    CHARGED_FIELD_NUMBER: _ClassVar[int]
    CURRENT_VERSION_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_VERSION_FIELD_NUMBER: _ClassVar[int]
    WINNER_OP_ID_FIELD_NUMBER: _ClassVar[int]
    charged: bool
    current_version: int
    snapshot_version: int
    winner_op_id: str
    def __init__(self, snapshot_version: _Optional[int] = ..., current_version: _Optional[int] = ..., winner_op_id: _Optional[str] = ..., charged: bool = ...) -> None: ...

class OperationFailed(_message.Message):
    __slots__ = ["message"]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: str
    def __init__(self, message: _Optional[str] = ...) -> None: ...

class OperationRejected(_message.Message):
    __slots__ = ["preempted_by_op_id", "reason"]
    PREEMPTED_BY_OP_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    preempted_by_op_id: str
    reason: _operation_pb2.RejectionReason
    def __init__(self, reason: _Optional[_Union[_operation_pb2.RejectionReason, str]] = ..., preempted_by_op_id: _Optional[str] = ...) -> None: ...

class OperationRetry(_message.Message):
    __slots__ = ["max_retries", "retry_after", "retry_count"]
    MAX_RETRIES_FIELD_NUMBER: _ClassVar[int]
    RETRY_AFTER_FIELD_NUMBER: _ClassVar[int]
    RETRY_COUNT_FIELD_NUMBER: _ClassVar[int]
    max_retries: int
    retry_after: _duration_pb2.Duration
    retry_count: int
    def __init__(self, retry_count: _Optional[int] = ..., max_retries: _Optional[int] = ..., retry_after: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class OperationStarted(_message.Message):
    __slots__ = ["operation"]
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    operation: _operation_pb2.OperationEntity
    def __init__(self, operation: _Optional[_Union[_operation_pb2.OperationEntity, _Mapping]] = ...) -> None: ...

class OperationSucceeded(_message.Message):
    __slots__ = ["ecs_id", "version"]
    ECS_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ecs_id: str
    version: int
    def __init__(self, version: _Optional[int] = ..., ecs_id: _Optional[str] = ...) -> None: ...

class Progress(_message.Message):
    __slots__ = ["head_sequence"]
    HEAD_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    head_sequence: int
    def __init__(self, head_sequence: _Optional[int] = ...) -> None: ...

class SubscribeRequest(_message.Message):
    __slots__ = ["filter", "from_now", "from_oldest", "from_sequence", "include_entities", "resume_token"]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    FROM_NOW_FIELD_NUMBER: _ClassVar[int]
    FROM_OLDEST_FIELD_NUMBER: _ClassVar[int]
    FROM_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_ENTITIES_FIELD_NUMBER: _ClassVar[int]
    RESUME_TOKEN_FIELD_NUMBER: _ClassVar[int]
    filter: EventFilter
    from_now: bool
    from_oldest: bool
    from_sequence: int
    include_entities: bool
    resume_token: str
    def __init__(self, filter: _Optional[_Union[EventFilter, _Mapping]] = ..., from_sequence: _Optional[int] = ..., from_now: bool = ..., from_oldest: bool = ..., resume_token: _Optional[str] = ..., include_entities: bool = ...) -> None: ...

class TreeAttached(_message.Message):
    __slots__ = ["attached_tree_version", "members", "old_tree_version", "tree_version"]
    ATTACHED_TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    OLD_TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    attached_tree_version: int
    members: _containers.RepeatedCompositeFieldContainer[MemberChanged]
    old_tree_version: int
    tree_version: int
    def __init__(self, old_tree_version: _Optional[int] = ..., attached_tree_version: _Optional[int] = ..., tree_version: _Optional[int] = ..., members: _Optional[_Iterable[_Union[MemberChanged, _Mapping]]] = ...) -> None: ...

class TreeChanged(_message.Message):
    __slots__ = ["members", "new_tree_version", "old_tree_version"]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    NEW_TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    OLD_TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    members: _containers.RepeatedCompositeFieldContainer[MemberChanged]
    new_tree_version: int
    old_tree_version: int
    def __init__(self, old_tree_version: _Optional[int] = ..., new_tree_version: _Optional[int] = ..., members: _Optional[_Iterable[_Union[MemberChanged, _Mapping]]] = ...) -> None: ...

class TreePromoted(_message.Message):
    __slots__ = ["members", "tree_version"]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    members: _containers.RepeatedCompositeFieldContainer[MemberChanged]
    tree_version: int
    def __init__(self, tree_version: _Optional[int] = ..., members: _Optional[_Iterable[_Union[MemberChanged, _Mapping]]] = ...) -> None: ...

class EventKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
