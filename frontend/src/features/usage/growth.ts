import type { UsageDirectory, UsageGrowth } from "./types";

/** How many growers and shrinkers the bars show; the tree has the rest. */
export const MAX_GROWERS = 10;
export const MAX_SHRINKERS = 5;
/** A directory whose change is at least this share of one listed subdirectory's is named by it. */
const EXPLAINED_SHARE = 0.9;

export function isBelow(path: string, ancestor: string): boolean {
  const prefix = ancestor.endsWith("/") ? ancestor : `${ancestor}/`;
  return path !== ancestor && path.startsWith(prefix);
}

export interface Changes {
  /** The whole scanned tree's change (the mount point's own entry), when both scans have it. */
  total: UsageGrowth | null;
  growers: UsageGrowth[];
  shrinkers: UsageGrowth[];
}

/**
 * What the bars show: the directories that grew most, then those that shrank most. A change
 * shows once, where it happened: "/srv +46 GiB, /srv/frigate +46 GiB, /srv/frigate/recordings
 * +46 GiB" is one fact, so a directory whose change lies almost all (90 %) in one listed
 * subdirectory is left to that subdirectory; the mount point's own change is the total.
 * The hub names growers by the same rule (domain/usage.py where_it_happened): both run the
 * cases of tests/contract/usage_growth.json.
 */
export function topChanges(growth: UsageGrowth[], mountPoint: string): Changes {
  const total = growth.find((g) => g.path === mountPoint) ?? null;
  const moved = growth.filter((g) => g.path !== mountPoint && g.change !== 0);
  const explained = (parent: UsageGrowth) =>
    moved.some(
      (child) =>
        isBelow(child.path, parent.path) &&
        Math.sign(child.change) === Math.sign(parent.change) &&
        Math.abs(child.change) >= EXPLAINED_SHARE * Math.abs(parent.change),
    );
  const shown = moved.filter((g) => !explained(g));
  return {
    total,
    growers: shown
      .filter((g) => g.change > 0)
      .sort((a, b) => b.change - a.change)
      .slice(0, MAX_GROWERS),
    shrinkers: shown
      .filter((g) => g.change < 0)
      .sort((a, b) => a.change - b.change)
      .slice(0, MAX_SHRINKERS),
  };
}

export interface TreeNode {
  path: string;
  /** The path below its parent ("recordings"); the whole path for the root. */
  name: string;
  bytes: number;
  /** Bytes in no listed subdirectory: the directory's own files and the children not kept. */
  otherBytes: number;
  children: TreeNode[];
}

function parentPath(path: string): string {
  const cut = path.lastIndexOf("/");
  return cut <= 0 ? "/" : path.slice(0, cut);
}

/**
 * The scan's directories (root first, parents before children) as a tree, each directory's
 * children largest first. A directory whose parent is not listed hangs under its nearest
 * listed ancestor (the hub sends none such; the tree should not lose bytes if it ever does).
 */
export function buildTree(directories: UsageDirectory[]): TreeNode | null {
  const [first, ...rest] = directories;
  if (!first) return null;
  const node = (d: UsageDirectory, name: string): TreeNode => ({
    path: d.path,
    name,
    bytes: d.bytes,
    otherBytes: d.other_bytes,
    children: [],
  });
  const root = node(first, first.path);
  const byPath = new Map<string, TreeNode>([[root.path, root]]);
  for (const d of rest) {
    if (byPath.has(d.path)) continue;
    let parent: TreeNode | undefined;
    for (let up = parentPath(d.path); !parent; up = parentPath(up)) {
      parent = byPath.get(up);
      if (up === "/") break;
    }
    const under = parent && isBelow(d.path, parent.path) ? parent : root;
    const name = isBelow(d.path, under.path)
      ? d.path.slice(under.path.length).replace(/^\//, "")
      : d.path;
    const child = node(d, name);
    under.children.push(child);
    byPath.set(child.path, child);
  }
  const sort = (n: TreeNode) => {
    n.children.sort((a, b) => b.bytes - a.bytes);
    n.children.forEach(sort);
  };
  sort(root);
  return root;
}
