"""Python client for the Abstractions Entity Server (``abstractions.v1``).

- :class:`Client` (blocking) and :class:`abstractions.aio.Client` (asyncio): entities with
  compare-and-set, ``update(id, fn)`` read-modify-write under a server-arbitrated operation, and
  ``watch()``, an event iterator that resumes by itself.
- :mod:`abstractions.errors`: typed errors carrying the server's ``google.rpc`` details.
- ``abstractions.v1.*_pb2`` / ``*_pb2_grpc``: the generated messages and stubs.
"""
from abstractions.client import Client, Watch
from abstractions.errors import (
    AbstractionsError,
    AccessDeniedError,
    EntityNotFoundError,
    EventsLostError,
    GateHeldError,
    OperationFailedError,
    OperationRejectedError,
    ServerError,
    TargetBusyError,
    VersionConflictError,
)
from abstractions.model import Data, Entity, PriorityClass

__all__ = [
    "Client",
    "Watch",
    "Entity",
    "Data",
    "PriorityClass",
    "AbstractionsError",
    "ServerError",
    "VersionConflictError",
    "EntityNotFoundError",
    "GateHeldError",
    "TargetBusyError",
    "EventsLostError",
    "AccessDeniedError",
    "OperationRejectedError",
    "OperationFailedError",
]
