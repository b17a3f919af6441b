import fs from "node:fs";
import js from "@eslint/js";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

// The layers of src/ (docs/ui.md): app/ composes features; a feature imports the shared layers
// (components/, lib/, api/, types/) and itself, never another feature; the shared layers import
// no feature and no app code. Every folder under src/features/ gets its zone.
const features = fs
  .readdirSync(new URL("./src/features", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const boundaries = [
  ...features.map((feature) => ({
    target: `./src/features/${feature}`,
    from: "./src/features",
    except: [`./${feature}`],
    message:
      "Features do not import each other: move what they share down to components/ or lib/, " +
      "or compose them in app/.",
  })),
  {
    target: "./src/features",
    from: "./src/app",
    message: "The app composes features; a feature does not import the app.",
  },
  {
    target: ["./src/components", "./src/lib", "./src/api", "./src/types", "./src/test"],
    from: ["./src/features", "./src/app"],
    message: "The shared layers import no feature and no app code.",
  },
];

export default tseslint.config(
  { ignores: ["dist", "test-results", "playwright-report", "src/types/api.gen.ts"] },
  {
    files: ["**/*.{ts,tsx}"],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "no-console": ["error", { allow: ["warn", "error"] }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ["src/**/*.{ts,tsx}"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [
        createNodeResolver({ extensions: [".ts", ".tsx", ".js", ".json", ".css"] }),
      ],
    },
    rules: {
      "import-x/no-restricted-paths": [
        "error",
        { basePath: import.meta.dirname, zones: boundaries },
      ],
    },
  },
  {
    files: ["e2e/**", "bench/**", "scripts/**", "*.config.{js,ts}"],
    languageOptions: { globals: { ...globals.node } },
    // Playwright fixtures call their continuation `use`, which is not React's hook.
    rules: { "no-console": "off", "react-hooks/rules-of-hooks": "off" },
  },
  {
    files: ["**/*.{js,mjs}"],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The benchmark hands some of its functions to the page.
    files: ["bench/**"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
