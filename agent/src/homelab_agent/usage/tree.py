"""The bounded tree a scan keeps: the largest children of each directory, a node budget.

The walk builds it on the way back up. A finished directory keeps only its largest children
(default 12) and, when its kept subtree passes the node budget, only the budget's worth of nodes,
chosen largest first from the top (best first). Keeping a subtree's best-first prefix loses
nothing: the final best-first choice over the whole tree, restricted to any subtree, is a prefix
of that subtree's own best-first order, because a child is never larger than its parent.
"""

from __future__ import annotations

import heapq
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from homelab_agent.filesystems.mounts import clean_text
from homelab_agent.usage.model import UsageDirectory

# The hub refuses a longer path with the whole heartbeat (422): such a directory is left out
# and its bytes stay in its parent's other_bytes.
MAX_PATH_CHARS = 4096
# A scan's directories stay under this much JSON, so a heartbeat carrying scans stays well
# below the hub's body limit (1 MiB by default; a 413 would drop the whole heartbeat). Deep
# trees of long names lose their smallest directories first.
MAX_WIRE_BYTES = 256 * 1024
# {"path": …, "bytes": …, "other_bytes": …} around the path, with two 19-digit figures.
ENTRY_OVERHEAD = 72


@dataclass(slots=True)
class Node:
    """A kept directory: raw name (bytes, as the kernel gave it), subtree bytes, kept children."""

    name: bytes
    allocated: int
    children: list[Node] = field(default_factory=list)
    nodes: int = 1  # nodes in this kept subtree, itself included

    def order(self) -> tuple[int, bytes]:
        """Largest first; equal sizes by name, so the choice never depends on listing order."""
        return (-self.allocated, self.name)


def largest(nodes: list[Node], count: int) -> list[Node]:
    """The `count` largest nodes, largest first."""
    return heapq.nsmallest(count, nodes, key=Node.order)


def finish(
    name: bytes, total: int, children: list[Node], max_children: int, max_nodes: int
) -> Node:
    """The kept node of a finished directory, within both bounds."""
    kept = largest(children, max_children)
    node = Node(name, total, kept, 1 + sum(c.nodes for c in kept))
    if node.nodes > max_nodes:
        prune(node, max_nodes)
    return node


def prune(root: Node, max_nodes: int) -> None:
    """Keep the `max_nodes` largest nodes of the subtree, best first from `root`."""
    chosen: set[int] = set()
    frontier: list[tuple[int, bytes, int, Node]] = [(*root.order(), 0, root)]
    tick = 1
    while frontier and len(chosen) < max_nodes:
        *_, node = heapq.heappop(frontier)
        chosen.add(id(node))
        for child in node.children:
            heapq.heappush(frontier, (*child.order(), tick, child))
            tick += 1
    _keep(root, chosen)


def _keep(node: Node, chosen: set[int]) -> int:
    node.children = [c for c in node.children if id(c) in chosen]
    node.nodes = 1 + sum(_keep(c, chosen) for c in node.children)
    return node.nodes


def child_path(parent: str, name: bytes) -> str:
    """The wire path of a child: valid UTF-8 (undecodable bytes as `--explain` shows them)."""
    return (parent if parent.endswith("/") else parent + "/") + clean_text(os.fsdecode(name))


def _wire_bytes(path: str) -> int:
    """What one directory costs in the heartbeat: its path as JSON text, and its figures."""
    return len(json.dumps(path, ensure_ascii=False).encode()) + ENTRY_OVERHEAD


def _choose(root: Node, mount_point: str, max_wire_bytes: int) -> dict[int, str]:
    """The directories to send, largest first from the root while they fit: node id → path."""
    chosen = {id(root): mount_point}
    spent = _wire_bytes(mount_point)
    frontier: list[tuple[int, bytes, int, str, Node]] = []
    tick = 0

    def offer(path: str, node: Node) -> None:
        nonlocal tick
        for child in node.children:
            tick += 1
            heapq.heappush(frontier, (*child.order(), tick, child_path(path, child.name), child))

    offer(mount_point, root)
    while frontier:
        *_, path, node = heapq.heappop(frontier)
        if len(path) > MAX_PATH_CHARS:
            continue  # left out with its subtree: the hub refuses a longer path
        spent += _wire_bytes(path)
        if spent > max_wire_bytes:
            break  # what is left is smaller: it stays in its parent's other_bytes
        chosen[id(node)] = path
        offer(path, node)
    return chosen


def flatten(
    root: Node, mount_point: str, max_wire_bytes: int = MAX_WIRE_BYTES
) -> Iterator[UsageDirectory]:
    """The directories to send: root first, parents before children, larger siblings first."""
    chosen = _choose(root, mount_point, max_wire_bytes)
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        listed = [c for c in sorted(node.children, key=Node.order) if id(c) in chosen]
        other = node.allocated - sum(c.allocated for c in listed)
        yield UsageDirectory(chosen[id(node)], node.allocated, other)
        stack.extend(reversed(listed))
