// @ts-check
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";
import boundaries from "./eslint/boundaries.mjs";

export default tseslint.config(
  { ignores: ["node_modules/**", "out/**"] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    plugins: { "fraud-infra": boundaries },
    rules: {
      "fraud-infra/import-boundaries": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "prefer-const": "error",
      eqeqeq: ["error", "always"],
    },
  },
);
