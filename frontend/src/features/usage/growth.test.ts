import { describe, expect, it } from "vitest";
import table from "../../../../tests/contract/usage_growth.json";
import { buildTree, isBelow, topChanges } from "./growth";

const g = (path: string, change: number) => ({
  path,
  bytes_then: 100,
  bytes_now: 100 + change,
  change,
});

it("tells a path below another on path boundaries", () => {
  expect(isBelow("/srv/a", "/srv")).toBe(true);
  expect(isBelow("/srvdata", "/srv")).toBe(false);
  expect(isBelow("/srv", "/srv")).toBe(false);
  expect(isBelow("/var", "/")).toBe(true);
});

it("names a change once, where it happened, and keeps a parent whose growth is spread", () => {
  const changes = topChanges(
    [
      g("/", 60),
      g("/var", 50),
      g("/var/lib", 49),
      g("/var/lib/docker", 46),
      g("/home", 10),
      // /home's growth is split between two children: /home stays, and so do they.
      g("/home/a", 5),
      g("/home/b", 5),
      g("/tmp", -3),
      g("/opt", 0),
    ],
    "/",
  );
  expect(changes.total?.change).toBe(60);
  expect(changes.growers.map((c) => c.path)).toEqual([
    "/var/lib/docker",
    "/home",
    "/home/a",
    "/home/b",
  ]);
  expect(changes.shrinkers.map((c) => c.path)).toEqual(["/tmp"]);
});

it("keeps a parent that grew while a child shrank", () => {
  const { growers, shrinkers } = topChanges([g("/srv/a", 10), g("/srv/a/b", -10)], "/srv");
  expect(growers.map((c) => c.path)).toEqual(["/srv/a"]);
  expect(shrinkers.map((c) => c.path)).toEqual(["/srv/a/b"]);
});

it("builds the tree under a root mount, largest first, names relative to the parent", () => {
  const root = buildTree([
    { path: "/", bytes: 100, other_bytes: 10 },
    { path: "/home", bytes: 30, other_bytes: 30 },
    { path: "/var", bytes: 60, other_bytes: 0 },
    { path: "/var/lib", bytes: 60, other_bytes: 60 },
  ])!;
  expect(root.name).toBe("/");
  expect(root.children.map((c) => c.name)).toEqual(["var", "home"]);
  expect(root.children[0]!.children.map((c) => c.path)).toEqual(["/var/lib"]);
});

it("hangs a directory whose parent is not listed under its nearest listed ancestor", () => {
  const root = buildTree([
    { path: "/srv", bytes: 100, other_bytes: 50 },
    { path: "/srv/a/b c/d", bytes: 50, other_bytes: 50 },
  ])!;
  expect(root.children.map((c) => c.name)).toEqual(["a/b c/d"]);
  expect(buildTree([])).toBeNull();
});

interface GrowthCase {
  name: string;
  mount_point: string;
  changes: [string, number][];
  named: string[];
}

// One table of cases for the hub's rule (tests/contract/test_usage_growth.py runs it against
// domain/usage.py, which the alert message and the weekly report use) and this one.
describe("the growth naming shared with the hub (tests/contract/usage_growth.json)", () => {
  const cases = table.cases as GrowthCase[];

  it("has the cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const { growers, shrinkers } = topChanges(
      c.changes.map(([path, change]) => g(path, change)),
      c.mount_point,
    );
    expect([...growers, ...shrinkers].map((x) => x.path)).toEqual(c.named);
  });
});
