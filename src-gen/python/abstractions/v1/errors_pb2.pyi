from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

ALREADY_A_ROOT: ErrorReason
DESCRIPTOR: _descriptor.FileDescriptor
DISK_FULL: ErrorReason
ENTITY_ALREADY_EXISTS: ErrorReason
ENTITY_DELETED: ErrorReason
ENTITY_NOT_FOUND: ErrorReason
ERROR_REASON_UNSPECIFIED: ErrorReason
EVENTS_NOT_RETAINED: ErrorReason
GATE_HELD: ErrorReason
INVALID_REQUEST: ErrorReason
MEMBER_HAS_CHILDREN: ErrorReason
MEMORY_LIMIT: ErrorReason
NOT_A_ROOT: ErrorReason
NOT_IN_TREE: ErrorReason
OPERATION_FINISHED: ErrorReason
OPERATION_LIMIT: ErrorReason
OPERATION_NOT_FOUND: ErrorReason
OPERATION_NOT_OWNED: ErrorReason
SHUTTING_DOWN: ErrorReason
SUBSCRIBER_LIMIT: ErrorReason
TARGET_BUSY: ErrorReason
TOKEN_MISSING_OR_UNKNOWN: ErrorReason
TREE_CYCLE: ErrorReason
TREE_LIMIT: ErrorReason
TREE_VERSION_CONFLICT: ErrorReason
VERSION_CONFLICT: ErrorReason
VERSION_NOT_FOUND: ErrorReason
VERSION_NOT_RETAINED: ErrorReason
WRITE_NOT_PERMITTED: ErrorReason

class ErrorReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
