from abstractions.v1 import entity_pb2 as _entity_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

CANCELLED: OperationStatus
DESCRIPTOR: _descriptor.FileDescriptor
EXPIRED: RejectionReason
FAILED: OperationStatus
LOW: PriorityClass
NORMAL: PriorityClass
OPERATION_STATUS_UNSPECIFIED: OperationStatus
OUTCOME_COMMITTED: CommitOutcome
OUTCOME_CONFLICT: CommitOutcome
OUTCOME_FAILED: CommitOutcome
OUTCOME_REJECTED: CommitOutcome
OUTCOME_UNSPECIFIED: CommitOutcome
PENDING: OperationStatus
PREEMPTED: RejectionReason
PRIORITY_CLASS_UNSPECIFIED: PriorityClass
REJECTED: OperationStatus
REJECTION_REASON_UNSPECIFIED: RejectionReason
RETRIES_EXHAUSTED: RejectionReason
RETRYING: OperationStatus
STRUCTURAL: PriorityClass
SUCCEEDED: OperationStatus

class AbortOperationRequest(_message.Message):
    __slots__ = ["op_id", "request_id"]
    OP_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    op_id: str
    request_id: str
    def __init__(self, op_id: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class BeginOperationRequest(_message.Message):
    __slots__ = ["max_retries", "op_type", "parent_op_id", "priority", "priority_class", "request_id", "target_lineage_id", "ttl"]
    MAX_RETRIES_FIELD_NUMBER: _ClassVar[int]
    OP_TYPE_FIELD_NUMBER: _ClassVar[int]
    PARENT_OP_ID_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_CLASS_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    TTL_FIELD_NUMBER: _ClassVar[int]
    max_retries: int
    op_type: str
    parent_op_id: str
    priority: int
    priority_class: PriorityClass
    request_id: str
    target_lineage_id: str
    ttl: _duration_pb2.Duration
    def __init__(self, target_lineage_id: _Optional[str] = ..., priority_class: _Optional[_Union[PriorityClass, str]] = ..., priority: _Optional[int] = ..., max_retries: _Optional[int] = ..., op_type: _Optional[str] = ..., parent_op_id: _Optional[str] = ..., ttl: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class BeginOperationResponse(_message.Message):
    __slots__ = ["operation", "snapshot", "snapshot_tree_version"]
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    operation: OperationEntity
    snapshot: _entity_pb2.Entity
    snapshot_tree_version: int
    def __init__(self, operation: _Optional[_Union[OperationEntity, _Mapping]] = ..., snapshot: _Optional[_Union[_entity_pb2.Entity, _Mapping]] = ..., snapshot_tree_version: _Optional[int] = ...) -> None: ...

class CommitOperationRequest(_message.Message):
    __slots__ = ["data", "op_id", "request_id", "tree_changes"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    OP_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TREE_CHANGES_FIELD_NUMBER: _ClassVar[int]
    data: _struct_pb2.Struct
    op_id: str
    request_id: str
    tree_changes: _containers.RepeatedCompositeFieldContainer[_entity_pb2.TreeChange]
    def __init__(self, op_id: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., request_id: _Optional[str] = ..., tree_changes: _Optional[_Iterable[_Union[_entity_pb2.TreeChange, _Mapping]]] = ...) -> None: ...

class CommitOperationResponse(_message.Message):
    __slots__ = ["charged", "entity", "operation", "outcome", "retry_after", "tree_version", "written"]
    CHARGED_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    RETRY_AFTER_FIELD_NUMBER: _ClassVar[int]
    TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    WRITTEN_FIELD_NUMBER: _ClassVar[int]
    charged: bool
    entity: _entity_pb2.Entity
    operation: OperationEntity
    outcome: CommitOutcome
    retry_after: _duration_pb2.Duration
    tree_version: int
    written: _containers.RepeatedCompositeFieldContainer[_entity_pb2.Entity]
    def __init__(self, outcome: _Optional[_Union[CommitOutcome, str]] = ..., operation: _Optional[_Union[OperationEntity, _Mapping]] = ..., entity: _Optional[_Union[_entity_pb2.Entity, _Mapping]] = ..., retry_after: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., charged: bool = ..., tree_version: _Optional[int] = ..., written: _Optional[_Iterable[_Union[_entity_pb2.Entity, _Mapping]]] = ...) -> None: ...

class ExecuteRequest(_message.Message):
    __slots__ = ["args", "function", "max_retries", "member_lineage_id", "op_type", "parent_op_id", "priority", "priority_class", "request_id", "target_lineage_id", "ttl"]
    ARGS_FIELD_NUMBER: _ClassVar[int]
    FUNCTION_FIELD_NUMBER: _ClassVar[int]
    MAX_RETRIES_FIELD_NUMBER: _ClassVar[int]
    MEMBER_LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    OP_TYPE_FIELD_NUMBER: _ClassVar[int]
    PARENT_OP_ID_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_CLASS_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    TTL_FIELD_NUMBER: _ClassVar[int]
    args: _struct_pb2.Struct
    function: str
    max_retries: int
    member_lineage_id: str
    op_type: str
    parent_op_id: str
    priority: int
    priority_class: PriorityClass
    request_id: str
    target_lineage_id: str
    ttl: _duration_pb2.Duration
    def __init__(self, target_lineage_id: _Optional[str] = ..., function: _Optional[str] = ..., args: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., priority_class: _Optional[_Union[PriorityClass, str]] = ..., priority: _Optional[int] = ..., max_retries: _Optional[int] = ..., op_type: _Optional[str] = ..., parent_op_id: _Optional[str] = ..., ttl: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., request_id: _Optional[str] = ..., member_lineage_id: _Optional[str] = ...) -> None: ...

class ExecuteResponse(_message.Message):
    __slots__ = ["entity", "operation", "outcome"]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    entity: _entity_pb2.Entity
    operation: OperationEntity
    outcome: CommitOutcome
    def __init__(self, outcome: _Optional[_Union[CommitOutcome, str]] = ..., operation: _Optional[_Union[OperationEntity, _Mapping]] = ..., entity: _Optional[_Union[_entity_pb2.Entity, _Mapping]] = ...) -> None: ...

class GetOperationRequest(_message.Message):
    __slots__ = ["op_id"]
    OP_ID_FIELD_NUMBER: _ClassVar[int]
    op_id: str
    def __init__(self, op_id: _Optional[str] = ...) -> None: ...

class KeepAliveRequest(_message.Message):
    __slots__ = ["op_id"]
    OP_ID_FIELD_NUMBER: _ClassVar[int]
    op_id: str
    def __init__(self, op_id: _Optional[str] = ...) -> None: ...

class ListOperationsRequest(_message.Message):
    __slots__ = ["page_size", "page_token", "statuses", "target_lineage_id"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    TARGET_LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    statuses: _containers.RepeatedScalarFieldContainer[OperationStatus]
    target_lineage_id: str
    def __init__(self, target_lineage_id: _Optional[str] = ..., statuses: _Optional[_Iterable[_Union[OperationStatus, str]]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListOperationsResponse(_message.Message):
    __slots__ = ["next_page_token", "operations"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    OPERATIONS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    operations: _containers.RepeatedCompositeFieldContainer[OperationEntity]
    def __init__(self, operations: _Optional[_Iterable[_Union[OperationEntity, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class OperationEntity(_message.Message):
    __slots__ = ["committed_tree_version", "committed_version", "completed_at", "created_at_ns", "deadline", "effective_priority", "failure_message", "max_retries", "op_id", "op_type", "parent_op_id", "preempted_by_op_id", "priority", "priority_class", "rejection_reason", "retry_count", "snapshot_version", "started_at", "status", "target_lineage_id"]
    COMMITTED_TREE_VERSION_FIELD_NUMBER: _ClassVar[int]
    COMMITTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_NS_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_PRIORITY_FIELD_NUMBER: _ClassVar[int]
    FAILURE_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    MAX_RETRIES_FIELD_NUMBER: _ClassVar[int]
    OP_ID_FIELD_NUMBER: _ClassVar[int]
    OP_TYPE_FIELD_NUMBER: _ClassVar[int]
    PARENT_OP_ID_FIELD_NUMBER: _ClassVar[int]
    PREEMPTED_BY_OP_ID_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_CLASS_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    REJECTION_REASON_FIELD_NUMBER: _ClassVar[int]
    RETRY_COUNT_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_VERSION_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TARGET_LINEAGE_ID_FIELD_NUMBER: _ClassVar[int]
    committed_tree_version: int
    committed_version: int
    completed_at: _timestamp_pb2.Timestamp
    created_at_ns: int
    deadline: _timestamp_pb2.Timestamp
    effective_priority: int
    failure_message: str
    max_retries: int
    op_id: str
    op_type: str
    parent_op_id: str
    preempted_by_op_id: str
    priority: int
    priority_class: PriorityClass
    rejection_reason: RejectionReason
    retry_count: int
    snapshot_version: int
    started_at: _timestamp_pb2.Timestamp
    status: OperationStatus
    target_lineage_id: str
    def __init__(self, op_id: _Optional[str] = ..., op_type: _Optional[str] = ..., priority_class: _Optional[_Union[PriorityClass, str]] = ..., priority: _Optional[int] = ..., effective_priority: _Optional[int] = ..., target_lineage_id: _Optional[str] = ..., retry_count: _Optional[int] = ..., max_retries: _Optional[int] = ..., parent_op_id: _Optional[str] = ..., status: _Optional[_Union[OperationStatus, str]] = ..., created_at_ns: _Optional[int] = ..., started_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., snapshot_version: _Optional[int] = ..., rejection_reason: _Optional[_Union[RejectionReason, str]] = ..., preempted_by_op_id: _Optional[str] = ..., deadline: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., failure_message: _Optional[str] = ..., committed_version: _Optional[int] = ..., committed_tree_version: _Optional[int] = ...) -> None: ...

class PriorityClass(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class OperationStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class RejectionReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class CommitOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
