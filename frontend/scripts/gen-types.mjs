// Generates src/types/api.gen.ts from openapi.json (written by `make types` from the hub).
// With --check, regenerates in memory and fails when the committed file differs.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import * as prettier from "prettier";

const root = fileURLToPath(new URL("..", import.meta.url));
const specPath = `${root}openapi.json`;
const outPath = `${root}src/types/api.gen.ts`;
const HEADER =
  "// Generated from frontend/openapi.json by `npm run gen:types`. Do not edit by hand.\n\n";

async function generate() {
  const spec = JSON.parse(await readFile(specPath, "utf8"));
  const ast = await openapiTS(spec, { alphabetize: true });
  return prettier.format(HEADER + astToString(ast), { parser: "typescript" });
}

const fresh = await generate();
if (process.argv.includes("--check")) {
  const committed = await readFile(outPath, "utf8").catch(() => "");
  if (committed !== fresh) {
    console.error(
      "frontend/src/types/api.gen.ts is stale: it does not match frontend/openapi.json.\n" +
        "Run 'make types' (or 'npm --prefix frontend run gen:types') and commit the result.",
    );
    process.exit(1);
  }
  console.log("API types are up to date.");
} else {
  await writeFile(outPath, fresh);
  console.log(`wrote ${outPath}`);
}
