"""The asyncio client (``grpc.aio``): the methods of :class:`abstractions.Client` as coroutines
and an ``async for`` watch that resumes by itself.

    import asyncio
    from abstractions.aio import Client

    async def main():
        async with Client("localhost:8980") as client:
            ada = await client.create("Student", {"name": "Ada", "credits": 3})
            ada = await client.update(ada.lineage_id, lambda d: {**d, "credits": d["credits"] + 1})
            print(ada.version, ada.data)    # 2 {'name': 'Ada', 'credits': 4}

    asyncio.run(main())
"""
from __future__ import annotations

import asyncio
import inspect
from typing import (Any, AsyncIterator, Awaitable, Callable, Iterable, List, Optional, Sequence, Tuple,
                    Union)

import grpc
import grpc.aio

from abstractions import model
from abstractions.client import RESUMABLE
from abstractions.errors import TreeVersionConflictError, from_rpc_error
from abstractions.model import (Data, Entity, PriorityClass, Tree, TreeAttachment, TreeChange, TreePromotion,
                                TreeVersion, TreeWrite)
from abstractions.v1 import entity_pb2, entity_pb2_grpc, event_pb2, event_pb2_grpc
from abstractions.v1 import operation_pb2, operation_pb2_grpc

__all__ = ["Client", "Watch"]

Fn = Callable[[Data], Union[Data, Awaitable[Data]]]
TreeFn = Callable[[Tree], Union[Sequence[TreeChange], Awaitable[Sequence[TreeChange]]]]


class Client:
    """One ``grpc.aio`` channel to the server and typed calls on it; see
    :class:`abstractions.Client` for the arguments and each method's contract. Use it on the
    event loop that created it."""

    def __init__(self, target: str, *, credentials: Optional[grpc.ChannelCredentials] = None,
                 timeout: Optional[float] = 30.0,
                 options: Sequence[Tuple[str, Any]] = ()) -> None:
        self.channel = (grpc.aio.secure_channel(target, credentials, options) if credentials is not None
                        else grpc.aio.insecure_channel(target, options))
        self.timeout = timeout
        # The generated stubs, for calls this client does not wrap. Their .pyi types describe a
        # sync channel's calls; on a grpc.aio channel the same calls return awaitables.
        self.entities: Any = entity_pb2_grpc.EntityServiceStub(self.channel)
        self.operations: Any = operation_pb2_grpc.OperationServiceStub(self.channel)
        self.events: Any = event_pb2_grpc.EventServiceStub(self.channel)

    async def close(self) -> None:
        await self.channel.close()

    async def __aenter__(self) -> "Client":
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def _call(self, method: Callable[..., Any], request: object) -> Any:
        try:
            return await method(request, timeout=self.timeout)
        except grpc.RpcError as err:
            raise from_rpc_error(err) from err

    # ---- entities -------------------------------------------------------------------------

    async def create(self, entity_type: str, data: Data, *, lineage_id: str = "",
                     request_id: str = "", parent_lineage_id: str = "") -> Entity:
        return Entity.from_proto(await self._call(self.entities.Create, entity_pb2.CreateEntityRequest(
            lineage_id=lineage_id, entity_type=entity_type, data=model.to_struct(data),
            request_id=request_id, parent_lineage_id=parent_lineage_id)))

    async def get(self, lineage_id: str, version: int = 0, *, serializable: bool = False) -> Entity:
        return Entity.from_proto(await self._call(self.entities.Get, entity_pb2.GetEntityRequest(
            lineage_id=lineage_id, version=version, serializable=serializable)))

    async def replace(self, lineage_id: str, expected_version: int, data: Data, *,
                      request_id: str = "") -> Entity:
        return Entity.from_proto(await self._call(self.entities.Update, entity_pb2.UpdateEntityRequest(
            lineage_id=lineage_id, expected_version=expected_version, data=model.to_struct(data),
            request_id=request_id)))

    async def delete(self, lineage_id: str, expected_version: int, *, request_id: str = "") -> Entity:
        return Entity.from_proto(await self._call(self.entities.Delete, entity_pb2.DeleteEntityRequest(
            lineage_id=lineage_id, expected_version=expected_version, request_id=request_id)))

    async def list(self, entity_type: str, *, page_size: int = 0,
                   serializable: bool = False) -> AsyncIterator[Entity]:
        token = ""
        while True:
            page = await self._call(self.entities.List, entity_pb2.ListEntitiesRequest(
                entity_type=entity_type, page_size=page_size, page_token=token,
                serializable=serializable))
            for e in page.entities:
                yield Entity.from_proto(e)
            token = page.next_page_token
            if not token:
                return

    async def history(self, lineage_id: str, *, page_size: int = 0,
                      serializable: bool = False) -> AsyncIterator[Entity]:
        token = ""
        while True:
            page = await self._call(self.entities.History, entity_pb2.EntityHistoryRequest(
                lineage_id=lineage_id, page_size=page_size, page_token=token,
                serializable=serializable))
            for e in page.versions:
                yield Entity.from_proto(e)
            token = page.next_page_token
            if not token:
                return

    # ---- trees ----------------------------------------------------------------------------

    async def write_tree(self, root_lineage_id: str, expected_tree_version: int,
                         changes: Sequence[TreeChange], *, request_id: str = "") -> TreeWrite:
        return model.tree_written(await self._call(self.entities.WriteTree, model.write_tree_request(
            root_lineage_id, expected_tree_version, changes, request_id)))

    async def get_tree(self, root_lineage_id: str, tree_version: int = 0, *, page_size: int = 0,
                       serializable: bool = False) -> Tree:
        pages = model.TreePages(root_lineage_id, tree_version, page_size, serializable)
        request: Optional[entity_pb2.GetTreeRequest] = pages.request
        while request is not None:
            request = pages.add(await self._call(self.entities.GetTree, request))
        return pages.tree()

    async def tree_history(self, root_lineage_id: str, *, page_size: int = 0,
                           serializable: bool = False) -> AsyncIterator[TreeVersion]:
        token = ""
        while True:
            page = await self._call(self.entities.TreeHistory, entity_pb2.TreeHistoryRequest(
                root_lineage_id=root_lineage_id, page_size=page_size, page_token=token,
                serializable=serializable))
            for v in page.versions:
                yield TreeVersion.from_proto(v)
            token = page.next_page_token
            if not token:
                return

    async def promote_tree_member(self, lineage_id: str, expected_tree_version: int, *, priority: int = 0,
                                  request_id: str = "") -> TreePromotion:
        return TreePromotion.from_proto(await self._call(self.entities.PromoteTreeMember, model.promote_request(
            lineage_id, expected_tree_version, priority, request_id)))

    async def attach_tree(self, lineage_id: str, expected_tree_version: int, parent_lineage_id: str,
                          expected_parent_tree_version: int, *, priority: int = 0,
                          request_id: str = "") -> TreeAttachment:
        return TreeAttachment.from_proto(await self._call(self.entities.AttachTree, model.attach_request(
            lineage_id, expected_tree_version, parent_lineage_id, expected_parent_tree_version, priority,
            request_id)))

    async def update_tree(self, root_lineage_id: str, fn: TreeFn, *,
                          max_attempts: int = model.TREE_MAX_ATTEMPTS) -> TreeWrite:
        """:meth:`abstractions.Client.update_tree` without blocking the loop (the same policy: at
        most ``max_attempts`` attempts, default 50, waiting before retry ``n`` a random time up to
        ``min(100 ms, 2 ms * 2**(n-1))``); ``fn`` may be a plain function or a coroutine function."""
        attempt = 1
        while True:
            tree = await self.get_tree(root_lineage_id)
            result = fn(tree)
            returned: Sequence[TreeChange] = await result if inspect.isawaitable(result) else result  # type: ignore[assignment]
            changes: List[TreeChange] = list(returned)
            if not changes:
                return TreeWrite(tree.tree_version, [])
            try:
                # No request_id, as in Client.update_tree.
                return await self.write_tree(root_lineage_id, tree.tree_version, changes)
            except TreeVersionConflictError:
                if attempt >= max_attempts:
                    raise
            await asyncio.sleep(model.tree_retry_delay(attempt))
            attempt += 1

    # ---- operations -----------------------------------------------------------------------

    async def update(self, lineage_id: str, fn: Fn, *, priority_class: PriorityClass = "NORMAL",
                     priority: Optional[int] = None, max_retries: Optional[int] = None,
                     op_type: str = "update", parent_op_id: str = "",
                     ttl: Optional[float] = None) -> Entity:
        """:meth:`abstractions.Client.update` without blocking the loop; ``fn`` may be a plain
        function or a coroutine function. The operation is kept alive while ``fn`` awaits; a
        plain ``fn`` blocks the loop, keep-alives included, so keep it quick."""
        begun = await self._call(self.operations.Begin, model.begin_request(
            lineage_id, priority_class, priority, max_retries, op_type, parent_op_id, ttl))
        op_id, snapshot = begun.operation.op_id, begun.snapshot
        while True:
            data = await self._compute(fn, snapshot, op_id)
            response = await self._call(self.operations.Commit, operation_pb2.CommitOperationRequest(
                op_id=op_id, data=model.to_struct(data)))
            if response.outcome != operation_pb2.OUTCOME_CONFLICT:
                return model.settled(response.outcome, response.operation, response.entity)
            await asyncio.sleep(response.retry_after.ToTimedelta().total_seconds())
            snapshot = response.entity

    async def _compute(self, fn: Fn, snapshot: entity_pb2.Entity, op_id: str) -> Data:
        keep_alive = operation_pb2.KeepAliveRequest(op_id=op_id)

        async def beat() -> None:
            while True:
                await asyncio.sleep(model.KEEP_ALIVE_INTERVAL.total_seconds())
                try:
                    await self.operations.KeepAlive(keep_alive, timeout=self.timeout)
                except grpc.RpcError:
                    pass  # the commit that follows reports the operation's fate
        beating = asyncio.ensure_future(beat())
        try:
            result = fn(model.from_struct(snapshot.data))
            data: Data = await result if inspect.isawaitable(result) else result  # type: ignore[assignment]
            return data
        except BaseException:
            await self._abort_quietly(op_id)
            raise
        finally:
            beating.cancel()

    async def _abort_quietly(self, op_id: str) -> None:
        # Abort so the operation stops counting as in flight; fn's error is the one to report.
        try:
            await self.operations.Abort(operation_pb2.AbortOperationRequest(op_id=op_id), timeout=self.timeout)
        except grpc.RpcError:
            pass

    async def execute(self, lineage_id: str, function: str, args: Data, *,
                      priority_class: PriorityClass = "NORMAL", priority: Optional[int] = None,
                      max_retries: Optional[int] = None, op_type: str = "", parent_op_id: str = "",
                      ttl: Optional[float] = None) -> Entity:
        response = await self._call(self.operations.Execute, model.execute_request(
            lineage_id, function, args, priority_class, priority, max_retries, op_type,
            parent_op_id, ttl))
        return model.settled(response.outcome, response.operation, response.entity)

    # ---- events ---------------------------------------------------------------------------

    def watch(self, *, kinds: Iterable[str] = (), lineage_ids: Iterable[str] = (),
              entity_types: Iterable[str] = (), op_ids: Iterable[str] = (), min_priority: int = 0,
              from_sequence: Optional[int] = None, from_oldest: bool = False,
              resume_token: str = "", include_entities: bool = False,
              root_lineage_ids: Iterable[str] = ()) -> "Watch":
        return Watch(self.events, model.subscribe_request(
            kinds, lineage_ids, entity_types, op_ids, min_priority, from_sequence, from_oldest,
            resume_token, include_entities, root_lineage_ids))


class Watch(AsyncIterator[event_pb2.Event]):
    """:class:`abstractions.client.Watch` for ``async for``: resumes after a broken stream from
    the last event or bookmark it passed, yields each event once, in order, and ends with
    EventsLostError rather than skip events. :meth:`close` ends it."""

    def __init__(self, stub: event_pb2_grpc.EventServiceStub, request: event_pb2.SubscribeRequest) -> None:
        self._stub = stub
        self._request = request
        self._position = model.StreamPosition()
        self._closed = False
        self._call: Any = None  # the Subscribe call being read
        self._failures = 0

    @property
    def last_sequence(self) -> int:
        return self._position.last_sequence

    @property
    def resume_token(self) -> str:
        return self._position.resume_token

    def __aiter__(self) -> "Watch":
        return self

    async def __anext__(self) -> event_pb2.Event:
        while True:
            if self._closed:
                raise StopAsyncIteration
            if self._call is None:
                # wait_for_ready: a resume rides out the reconnect instead of failing fast.
                self._call = self._stub.Subscribe(
                    self._position.resume_request(self._request), wait_for_ready=True)
            call = self._call
            try:
                event = await call.read()
            except asyncio.CancelledError:
                if self._closed:  # close() cancelled the call under this read
                    raise StopAsyncIteration from None
                raise
            except grpc.RpcError as err:
                if self._closed:
                    raise StopAsyncIteration from None
                if err.code() not in RESUMABLE:  # type: ignore[attr-defined]
                    self.close()
                    raise from_rpc_error(err) from err
                await self._broken()
                continue
            if event is grpc.aio.EOF:
                await self._broken()  # the contract's streams never end by themselves
                continue
            self._failures = 0
            if self._position.accept(event):
                return event

    async def _broken(self) -> None:
        self._call = None
        await asyncio.sleep(model.resume_delay(self._failures))
        self._failures += 1

    def close(self) -> None:
        """Ends the watch; an ``async for`` over it stops."""
        self._closed = True
        call, self._call = self._call, None
        if call is not None:
            call.cancel()

    async def __aenter__(self) -> "Watch":
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self.close()
