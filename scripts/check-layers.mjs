#!/usr/bin/env node
/**
 * Keeps the architecture visible: no import cycles between files, none between the
 * folders of a source tree, and every import pointing down the layer order below.
 * Type-only imports count: a cycle through types is still two modules that cannot be
 * understood (or moved) apart.
 *
 *   node scripts/check-layers.mjs            # checks runtime/src and generator/src
 *   node scripts/check-layers.mjs <dir>...   # checks the given trees (layers from LAYERS)
 *
 * Exit 1 with one line per problem. A small script rather than a dependency: the rules
 * fit in a page, and it reads TypeScript sources directly (no build needed).
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Each tree's units in layer order. A unit is a folder, or a file directly in the tree's
 * root. A unit may import units of earlier layers (and itself), never a later layer or a
 * sibling in the same layer. Root files not listed are entry modules: they may import
 * anything and nothing imports them.
 */
export const LAYERS = {
  "runtime/src": [["protocol"], ["server", "client"], ["transports"], ["auth"], ["entry"]],
  // The generator is a pipeline: load → validate → model → emit → format → write.
  "generator/src": [
    ["diagnostics", "manifest.ts", "version.ts"],
    ["load"],
    ["naming"],
    ["validate"],
    ["frontend.ts"],
    ["model"],
    ["emit"],
    ["format.ts"],
    ["write"],
    ["pipeline.ts"],
    ["surface"],
    ["cli"],
  ],
};

const IMPORT_RE = /(?:^|[\s;])(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']|(?:^|[\s;])import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** Relative specifiers imported by a source file, comments stripped first. */
export function importsOf(source) {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  const found = [];
  for (const m of code.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (spec.startsWith(".")) found.push(spec);
  }
  return found;
}

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|cts)$/.test(name) && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

function resolveSpecifier(from, spec) {
  const base = resolve(dirname(from), spec);
  const stem = base.replace(/\.(m|c)?js$/, "");
  for (const candidate of [`${stem}.ts`, `${stem}.mts`, `${stem}.cts`, base, join(base, "index.ts")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Strongly connected components with more than one member (Tarjan), or a self-loop. */
function cycles(graph) {
  let index = 0;
  const stack = [];
  const state = new Map();
  const found = [];
  const visit = (v) => {
    state.set(v, { index, low: index, onStack: true });
    index++;
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!state.has(w)) {
        visit(w);
        state.get(v).low = Math.min(state.get(v).low, state.get(w).low);
      } else if (state.get(w).onStack) {
        state.get(v).low = Math.min(state.get(v).low, state.get(w).index);
      }
    }
    if (state.get(v).low === state.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        state.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.has(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!state.has(v)) visit(v);
  return found;
}

/** One path around a cycle, for a message a reader can follow. */
function cyclePath(graph, members) {
  const inCycle = new Set(members);
  const start = members[0];
  const path = [start];
  const seen = new Set([start]);
  let at = start;
  for (;;) {
    const next = [...(graph.get(at) ?? [])].find((w) => inCycle.has(w) && (w === start || !seen.has(w)));
    if (next === undefined || next === start) break;
    path.push(next);
    seen.add(next);
    at = next;
  }
  return [...path, start];
}

/** Every layering problem of one source tree, as readable lines. */
export function checkTree(treeDir, layers = []) {
  const files = sourceFiles(treeDir);
  const rel = (f) => relative(treeDir, f).split("\\").join("/");
  const unitOf = (f) => rel(f).split("/")[0];
  const isFolder = (unit) => !/\.(m|c)?ts$/.test(unit);
  const rank = new Map();
  layers.forEach((group, i) => group.forEach((folder) => rank.set(folder, i)));
  const problems = [];
  const fileGraph = new Map();
  const folderGraph = new Map();
  for (const file of files) {
    const edges = new Set();
    fileGraph.set(rel(file), edges);
    for (const spec of importsOf(readFileSync(file, "utf8"))) {
      const target = resolveSpecifier(file, spec);
      if (target === undefined || !target.startsWith(treeDir)) continue;
      edges.add(rel(target));
      const [from, to] = [unitOf(file), unitOf(target)];
      if (from === to) continue;
      if (isFolder(from) && isFolder(to)) {
        if (!folderGraph.has(from)) folderGraph.set(from, new Set());
        folderGraph.get(from).add(to);
      }
      if (layers.length === 0) continue;
      const entry = (unit) => !isFolder(unit) && !rank.has(unit);
      if (entry(from)) continue;
      if (entry(to)) {
        problems.push(`${rel(file)} imports ${rel(target)}: ${to} is an entry module; nothing imports it`);
      } else if (!rank.has(from) || !rank.has(to)) {
        const unknown = rank.has(from) ? to : from;
        problems.push(`${rel(file)} imports ${rel(target)}: ${unknown} has no layer; add it to LAYERS in scripts/check-layers.mjs`);
      } else if (rank.get(to) >= rank.get(from)) {
        const why = rank.get(to) === rank.get(from) ? "a sibling in the same layer" : "a later layer";
        problems.push(`${rel(file)} imports ${rel(target)}: ${from} may not import ${to} (${why})`);
      }
    }
  }
  for (const members of cycles(fileGraph)) {
    const among = members.length > 2 ? ` (one of the loops among ${members.join(", ")})` : "";
    problems.push(`file cycle: ${cyclePath(fileGraph, members).join(" → ")}${among}`);
  }
  for (const members of cycles(folderGraph)) problems.push(`folder cycle: ${cyclePath(folderGraph, members).map((f) => `${f}/`).join(" → ")}`);
  return problems;
}

function main(argv) {
  const trees = argv.length > 0 ? argv.map((d) => resolve(d)) : Object.keys(LAYERS).map((d) => join(ROOT, d));
  let failed = false;
  for (const tree of trees) {
    const key = relative(ROOT, tree).split("\\").join("/");
    const problems = checkTree(tree, LAYERS[key] ?? []);
    for (const p of problems) process.stderr.write(`${key}: ${p}\n`);
    failed ||= problems.length > 0;
  }
  if (failed) process.exit(1);
  process.stdout.write(`layers ok: ${trees.map((t) => relative(ROOT, t)).join(", ")}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
