"""Type-checked by test_typing.py with pyright (never run): the package's annotations and .pyi
stubs describe what the client and the generated stubs return. Each misuse below carries a
``# type: ignore``; the check also fails on an ignore that is not needed, so a type that
degraded to Any (letting the misuse through) fails it too."""
from typing import Optional

import grpc

import abstractions.aio
from abstractions import (Client, CreateMember, DeleteMember, Entity, GateHeldError, ServerError, Tree,
                          TreeAttachment, TreeChange, TreeCycleError, TreePromotion, TreeVersionConflictError,
                          TreeWrite, UpdateMember, VersionConflictError)
from abstractions.v1 import entity_pb2, entity_pb2_grpc, event_pb2


def blocking(client: Client) -> int:
    ada: Entity = client.create("Student", {"name": "Ada", "credits": 3})
    ada = client.update(ada.lineage_id, lambda data: {**data, "credits": data["credits"] + 1},
                        priority_class="STRUCTURAL")
    client.update(ada.lineage_id, lambda data: data, priority_class="HIGH")  # type: ignore
    try:
        client.replace(ada.lineage_id, 1, {"credits": 5})
    except VersionConflictError as err:
        current: int = err.current_version
        return current
    except ServerError as err:
        code: grpc.StatusCode = err.code
        return len(err.reason + code.name)
    name: str = ada.data  # type: ignore
    for event in client.watch(lineage_ids=[ada.lineage_id], from_oldest=True):
        sequence: int = event.sequence
        return sequence + len(name)
    stub = entity_pb2_grpc.EntityServiceStub(client.channel)
    got: entity_pb2.Entity = stub.Get(entity_pb2.GetEntityRequest(lineage_id=ada.lineage_id))
    wrong: event_pb2.Event = stub.Get(entity_pb2.GetEntityRequest(lineage_id=ada.lineage_id))  # type: ignore
    return got.version + wrong.sequence


async def asynchronous(client: abstractions.aio.Client) -> Optional[float]:
    async def add_one(data: abstractions.Data) -> abstractions.Data:
        return {**data, "n": data["n"] + 1}

    entity = await client.update("id", add_one, priority_class="LOW")
    async for event in client.watch(lineage_ids=[entity.lineage_id]):
        token: str = event.resume_token
        return float(len(token))
    try:
        await client.replace(entity.lineage_id, entity.version, {})
    except GateHeldError as err:
        return err.retry_after.total_seconds() if err.retry_after else None
    return entity.lineage_id  # type: ignore


def trees(client: Client) -> int:
    root: Entity = client.create("Order", {"total": 0})
    line = client.create("Line", {"qty": 1}, parent_lineage_id=root.lineage_id)
    client.create("Line", {}, parent_lineage_id=1)  # type: ignore
    written: TreeWrite = client.write_tree(root.lineage_id, line.tree_version, [
        UpdateMember(root.lineage_id, {"total": 1}, expected_version=1),
        CreateMember(line.lineage_id, "Note", {"text": "gift"}),
        DeleteMember(line.lineage_id)])
    client.write_tree(root.lineage_id, 1, [{"update": root.lineage_id}])  # type: ignore
    tree: Tree = client.get_tree(root.lineage_id, written.tree_version, page_size=1)
    members: list[Entity] = tree.members + tree.children(root.lineage_id)
    versions = [v.tree_version for v in client.tree_history(root.lineage_id)]

    def add_one(t: Tree) -> list[TreeChange]:
        return [UpdateMember(t.root_lineage_id, {"total": t.root.data["total"] + 1})]

    try:
        client.update_tree(root.lineage_id, add_one, max_attempts=5)
    except TreeVersionConflictError as err:
        current: int = err.current_tree_version
        return current
    for event in client.watch(root_lineage_ids=[root.lineage_id], kinds=["EVENT_TREE_CHANGED"]):
        return len(event.tree_changed.members)
    promoted: TreePromotion = client.promote_tree_member(line.lineage_id, 4, priority=10)
    try:
        attached: TreeAttachment = client.attach_tree(line.lineage_id, promoted.tree_version, root.lineage_id,
                                                      promoted.tree_version, priority=3)
    except TreeCycleError as err:
        parent: str = err.parent_lineage_id
        return len(parent)
    client.attach_tree(line.lineage_id, 1, root.lineage_id, 1, priority="high")  # type: ignore
    for event in client.watch(root_lineage_ids=[root.lineage_id], kinds=["EVENT_TREE_ATTACHED"]):
        return event.tree_attached.attached_tree_version
    moved: list[Entity] = attached.written
    return len(members) + sum(versions) + len(moved) + len(attached.root_lineage_id)


async def async_trees(client: abstractions.aio.Client) -> int:
    async def add_one(t: Tree) -> list[TreeChange]:
        return [UpdateMember(t.root_lineage_id, {"total": t.root.data["total"] + 1})]

    written = await client.update_tree("root", add_one)
    promoted = await client.promote_tree_member("member", written.tree_version)
    attached = await client.attach_tree("member", promoted.tree_version, "root", promoted.tree_version)
    wrong_root: int = attached.root_lineage_id  # type: ignore
    tree = await client.get_tree("root")
    history = [v.changed async for v in client.tree_history("root")]
    wrong: str = tree.tree_version  # type: ignore
    return written.tree_version + len(history) + len(wrong) + wrong_root
