import { useState } from "react";
import { formatBytes } from "../../lib/format";
import { formatChange } from "./GrowthBars";
import type { TreeNode } from "./growth";

interface UsageTreeProps {
  root: TreeNode;
  /** Each directory's change since the previous scan, where both scans list it. */
  changes: ReadonlyMap<string, number>;
}

/**
 * The latest scan as a tree: each directory's allocated bytes and its share of its parent,
 * largest first, and what no listed subdirectory holds as "other". The root starts open; the
 * rest open one by one.
 */
export function UsageTree({ root, changes }: UsageTreeProps) {
  return (
    <ul className="usage-tree" aria-label="Latest scan">
      <TreeRow node={root} parentBytes={null} depth={0} changes={changes} initiallyOpen />
    </ul>
  );
}

interface TreeRowProps {
  node: TreeNode;
  parentBytes: number | null;
  depth: number;
  changes: ReadonlyMap<string, number>;
  initiallyOpen?: boolean;
}

function share(bytes: number, parentBytes: number | null): string {
  if (parentBytes === null || parentBytes <= 0) return "";
  const percent = (bytes / parentBytes) * 100;
  return percent < 1 && bytes > 0 ? "< 1 %" : `${Math.round(percent)} %`;
}

function TreeRow({ node, parentBytes, depth, changes, initiallyOpen = false }: TreeRowProps) {
  const [open, setOpen] = useState(initiallyOpen);
  const expandable = node.children.length > 0;
  const change = changes.get(node.path);
  return (
    <li className="usage-tree__item" data-testid="usage-dir" data-path={node.path}>
      <div className="usage-tree__row">
        <span className="usage-tree__name" style={{ paddingLeft: `${depth * 1.1}rem` }}>
          {expandable ? (
            <button
              type="button"
              className="usage-tree__toggle"
              aria-expanded={open}
              title={node.path}
              onClick={() => setOpen(!open)}
            >
              <span className="usage-tree__caret" aria-hidden="true">
                {open ? "▾" : "▸"}
              </span>
              <span className="mono">{node.name}</span>
            </button>
          ) : (
            <span className="usage-tree__leaf mono" title={node.path}>
              {node.name}
            </span>
          )}
        </span>
        <Figures bytes={node.bytes} parentBytes={parentBytes} change={change} />
      </div>
      {expandable && open ? (
        <ul className="usage-tree__children">
          {node.children.map((child) => (
            <TreeRow
              key={child.path}
              node={child}
              parentBytes={node.bytes}
              depth={depth + 1}
              changes={changes}
            />
          ))}
          {node.otherBytes > 0 ? (
            <li className="usage-tree__item" data-testid="usage-other">
              <div className="usage-tree__row usage-tree__row--other">
                <span
                  className="usage-tree__name muted"
                  style={{ paddingLeft: `${(depth + 1) * 1.1}rem` }}
                >
                  other (files here and smaller directories)
                </span>
                <Figures bytes={node.otherBytes} parentBytes={node.bytes} />
              </div>
            </li>
          ) : null}
        </ul>
      ) : null}
    </li>
  );
}

function Figures({
  bytes,
  parentBytes,
  change,
}: {
  bytes: number;
  parentBytes: number | null;
  change?: number;
}) {
  const part = share(bytes, parentBytes);
  return (
    <>
      <span className="usage-tree__bytes">{formatBytes(bytes)}</span>
      <span
        className="usage-tree__share muted"
        title={part ? `${part} of the directory above` : ""}
      >
        {part ? (
          <>
            <span className="usage-tree__share-bar" aria-hidden="true">
              <span style={{ width: `${Math.min(100, (bytes / (parentBytes ?? 1)) * 100)}%` }} />
            </span>
            <span className="usage-tree__share-text">{part}</span>
          </>
        ) : null}
      </span>
      <span
        className={`usage-tree__change small${change && change > 0 ? " usage-tree__change--grew" : ""}`}
      >
        {change ? formatChange(change) : ""}
      </span>
    </>
  );
}
