// @ts-check
import path from "node:path";

/**
 * Which parts of the repository may import which. A stack meets another stack only through stack
 * outputs, and the stacks never depend on the policy pack, the tools or the tests: what they share
 * lives in `lib/`. The policy pack holds only its rules, so it imports nothing but `lib/`: what runs
 * the rules offline lives with the plan in `tools/`. Each import is resolved against the importing file, so `../x` and
 * `../../stacks/x` are judged alike.
 */
const ROOT = path.resolve(import.meta.dirname, "..");

/** The area of a repository path: `stacks/<name>`, `policy/rules`, or its top-level folder. */
export function areaOf(relPath) {
  const parts = relPath.split(/[\\/]/);
  if (parts[0] === "stacks" && parts.length > 2) return `stacks/${parts[1]}`;
  if (parts[0] === "policy" && parts[1] === "rules") return "policy/rules";
  return parts.length > 1 ? parts[0] : "";
}

/** For each area, a test of the areas it may import. */
const ALLOWED = {
  lib: (to) => to === "lib",
  functions: (to) => to === "functions" || to === "lib",
  "policy/rules": (to) => to === "policy/rules" || to === "lib",
  policy: (to) => ["policy", "policy/rules", "lib"].includes(to),
  tools: (to) => to !== "tests",
};

/** Why `from` may not import `to`, or undefined when it may. */
export function boundaryProblem(from, to) {
  if (from === to || from === "tests" || to === "") return undefined;
  if (from.startsWith("stacks/")) {
    if (to === "lib") return undefined;
    if (to.startsWith("stacks/"))
      return `${from} may not import ${to}: stacks meet only through stack outputs; shared code belongs in lib/`;
    return `${from} may not import ${to}/: a stack depends only on lib/ (shared rules belong there)`;
  }
  const allowed = ALLOWED[from];
  if (!allowed || allowed(to)) return undefined;
  return `${from}/ may not import ${to}/`;
}

/** @type {import("eslint").Rule.RuleModule} */
const rule = {
  meta: {
    type: "problem",
    schema: [],
    docs: { description: "enforce the import boundaries between stacks, lib, policy, tools and tests" },
  },
  create(context) {
    const from = areaOf(path.relative(ROOT, context.filename));
    const check = (node, source) => {
      if (typeof source !== "string" || !source.startsWith(".")) return;
      const target = path.relative(ROOT, path.resolve(path.dirname(context.filename), source));
      const problem = boundaryProblem(from, areaOf(target));
      if (problem) context.report({ node, message: `${problem} (import "${source}")` });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === "Literal" && check(node, node.source.value),
      CallExpression: (node) => {
        const arg = node.arguments[0];
        if (node.callee.type === "Identifier" && node.callee.name === "require" && arg?.type === "Literal") {
          check(node, arg.value);
        }
      },
    };
  },
};

export default { rules: { "import-boundaries": rule } };
