import { existsSync, readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { parseCommandArgs } from "./args.js";
import type { CliIO } from "./io.js";
import { esmAdvice, typeDependentCode } from "./module-type.js";

export const INIT_USAGE = `Usage: mcpgen init [options]

Scaffolds mcp.yaml (or the --config path), tsconfig.json and package.json in the working
directory. Never overwrites: existing files are kept, and an existing package.json only
gains the scripts and dependencies it lacks (@mcpgen/runtime; mcpgen, typescript and
@types/node for the Node major it declares). Its "type" becomes "module" (the generated
code is ES modules) unless the project already has code that "type" decides; then init
names the one change to make.
`;

export async function initCommand(argv: string[], io: CliIO): Promise<number> {
  const { common } = parseCommandArgs(argv, io, { name: "init" });
  return runInit(common.cwd, io, common.config ?? "mcp.yaml");
}

const MANIFEST = (name: string) => `# yaml-language-server: $schema=./node_modules/mcpgen/schemas/mcp.schema.json
version: 1

server:
  name: ${name}
  version: 0.1.0

tools:
  add:
    description: Add two integers.
    input:
      type: object
      properties:
        a: { type: integer }
        b: { type: integer }
      required: [a, b]
    output: { type: integer }

resources:
  greeting:
    uri: greeting://{name}
    description: A personal greeting.
    mimeType: text/plain
`;

// "types": ["node"]: TypeScript 7 loads @types/node only when the tsconfig names it.
const TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "types": ["node"],
    "strict": true,
    "skipLibCheck": true,
    "outDir": "dist",
    "rootDir": "src"
  },
  "include": ["src"]
}
`;

const SCRIPTS: Record<string, string> = {
  generate: "mcpgen",
  "check:generated": "mcpgen check",
  build: "tsc",
  start: "node dist/server.js",
};

/** TypeScript versions generated projects are tested with (the packaging test runs both). */
const TYPESCRIPT_RANGE = "^5.9.3 || ^7.0.2";

/** The Node major a package.json declares (engines.node's lowest major), else the running one. */
export function nodeMajor(pkg: { engines?: { node?: unknown } } | undefined): number {
  const range = typeof pkg?.engines?.node === "string" ? pkg.engines.node : "";
  const majors = [...range.matchAll(/(?:^|[\s=>^~v|])(\d+)(?=[.\sx*]|$)/g)].map((m) => Number(m[1]));
  return majors.length > 0 ? Math.min(...majors) : Number(process.versions.node.split(".")[0]);
}

/** The packages a generated project needs, with the ranges init writes. */
function wantedDependencies(major: number) {
  const own = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  const caret = (v: string) => (/^\d/.test(v) ? `^${v}` : v);
  return {
    dependencies: { "@mcpgen/runtime": caret(own.dependencies["@mcpgen/runtime"]) },
    devDependencies: { mcpgen: caret(own.version), typescript: TYPESCRIPT_RANGE, "@types/node": `^${major}` },
  };
}

/**
 * Scaffolds a project. Never overwrites: existing files are kept, and an existing
 * package.json only gains what it lacks (scripts, dependencies). Its "type" becomes
 * "module" when nothing in the project depends on it being CommonJS; otherwise init says
 * what the one change is.
 */
export async function runInit(cwd: string, io: CliIO, config: string): Promise<number> {
  const say = (s: string) => io.stderr.write(s + "\n");
  const name = basename(cwd).toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "my-server";
  const manifestPath = join(cwd, config);
  // Looked at before anything is written: is there code whose format "type" decides?
  const code = typeDependentCode(cwd);
  if (existsSync(manifestPath)) say(`  kept     ${config} (already exists)`);
  else {
    await writeFile(manifestPath, MANIFEST(name));
    say(`  created  ${config}`);
  }
  const tsconfig = join(cwd, "tsconfig.json");
  if (existsSync(tsconfig)) {
    say("  kept     tsconfig.json (already exists)");
    if (!/"types"\s*:/.test(readFileSync(tsconfig, "utf8"))) say(`  note     tsconfig.json has no "types": TypeScript 7 then loads no @types/node, and node: imports fail (TS2591). Add "types": ["node"] to its compilerOptions.`);
  } else {
    await writeFile(tsconfig, TSCONFIG);
    say("  created  tsconfig.json");
  }
  const pkgPath = join(cwd, "package.json");
  let needInstall = false;
  let advice: string | undefined;
  if (!existsSync(pkgPath)) {
    const major = nodeMajor(undefined);
    const pkg = { name, version: "0.1.0", private: true, type: "module", engines: { node: `>=${major}` }, scripts: SCRIPTS, ...wantedDependencies(major) };
    await writeFile(pkgPath, JSON.stringify(pkg, null, 2) + "\n");
    say(`  created  package.json ("type": "module", Node ${major}: @types/node ^${major})`);
    needInstall = true;
  } else {
    const text = await readFile(pkgPath, "utf8");
    const pkg = JSON.parse(text);
    const added: string[] = [];
    const scripts: string[] = [];
    const deps: string[] = [];
    pkg.scripts ??= {};
    for (const [k, v] of Object.entries(SCRIPTS)) {
      if (pkg.scripts[k] === undefined) {
        pkg.scripts[k] = v;
        scripts.push(k);
      }
    }
    const major = nodeMajor(pkg);
    const wanted = wantedDependencies(major);
    const has = (dep: string) => [pkg.dependencies, pkg.devDependencies, pkg.optionalDependencies].some((d) => d && Object.hasOwn(d, dep));
    for (const field of ["dependencies", "devDependencies"] as const) {
      for (const [dep, range] of Object.entries(wanted[field])) {
        if (has(dep)) continue;
        pkg[field] = { ...pkg[field], [dep]: range };
        deps.push(`${dep} ${range}`);
        needInstall = true;
      }
    }
    const types = pkg.devDependencies?.["@types/node"] ?? pkg.dependencies?.["@types/node"];
    const typesMajor = typeof types === "string" ? /(\d+)/.exec(types)?.[1] : undefined;
    let switched = "";
    if (pkg.type !== "module") {
      if (code.length === 0) {
        switched = `"type": "module" (was ${pkg.type === undefined ? "unset" : JSON.stringify(pkg.type)}: the generated code is ES modules, and nothing here was CommonJS yet)`;
        pkg.type = "module";
      } else advice = esmAdvice(pkg.type, code);
    }
    if (switched) added.push(switched);
    if (scripts.length > 0) added.push(`scripts ${scripts.join(", ")}`);
    if (deps.length > 0) added.push(`${deps.join(", ")}`);
    if (added.length > 0) {
      await writeFile(pkgPath, JSON.stringify(pkg, null, 2) + "\n");
      say(`  updated  package.json:`);
      for (const a of added) say(`             ${a}`);
    } else say("  kept     package.json");
    if (typesMajor !== undefined && Number(typesMajor) > major) {
      say(`  note     @types/node ${types} describes Node ${typesMajor}, but this project runs on Node ${major} (engines, or the running node): npm install -D @types/node@${major}`);
    }
  }
  if (advice) say(`\nwarning: ${advice}`);
  say(`\nNext: ${needInstall ? "npm install, then " : ""}npx mcpgen   (generates src/generated, handler stubs in src/handlers and src/server.ts)`);
  return 0;
}
