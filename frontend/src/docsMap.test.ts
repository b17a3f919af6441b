import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

// docs/ui.md's Layout section maps src/: a folder added here must be described there.
const src = import.meta.dirname;
const docs = readFileSync(path.join(src, "../../docs/ui.md"), "utf8");
const layout = docs.slice(
  docs.indexOf("## Layout"),
  docs.indexOf("\n## ", docs.indexOf("## Layout")),
);
const map = /```\n([\s\S]*?)```/.exec(layout)?.[1] ?? "";

const folders = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
/** The map names a folder at the start of a line: `    features/servers/   …`, `    lib/   …`. */
const named = (folder: string) =>
  new RegExp(`^\\s+${folder.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/`, "m").test(map);

it("finds the map in docs/ui.md", () => {
  expect(map).toContain("frontend/");
});

it.each(folders(src))("names src/%s/ in docs/ui.md's map", (folder) => {
  // features/ is described one feature at a time.
  expect(folder === "features" || named(folder)).toBe(true);
});

it.each(folders(path.join(src, "features")))(
  "names src/features/%s/ in docs/ui.md's map",
  (feature) => {
    expect(named(`features/${feature}`)).toBe(true);
  },
);

it("names no feature that does not exist", () => {
  const mapped = [...map.matchAll(/^\s+features\/([\w-]+)\//gm)].map((match) => match[1]);
  expect(
    mapped.filter((feature) => !folders(path.join(src, "features")).includes(feature!)),
  ).toEqual([]);
});
