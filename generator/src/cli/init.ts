import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { parseCommandArgs } from "./args.js";
import type { CliIO } from "./io.js";

export const INIT_USAGE = `Usage: mcpgen init [options]

Scaffolds mcp.yaml (or the --config path), tsconfig.json and package.json scripts in the
working directory. Never overwrites: existing files are kept, and an existing package.json
only gains the scripts (and "type": "module") it lacks.
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

const TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
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

/**
 * Scaffolds a project. Never overwrites: existing files are kept, and an existing
 * package.json only gains the scripts (and `"type": "module"`) it lacks.
 */
export async function runInit(cwd: string, io: CliIO, config: string): Promise<number> {
  const say = (s: string) => io.stderr.write(s + "\n");
  const name = basename(cwd).toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "my-server";
  const manifestPath = join(cwd, config);
  if (existsSync(manifestPath)) say(`  kept     ${config} (already exists)`);
  else {
    await writeFile(manifestPath, MANIFEST(name));
    say(`  created  ${config}`);
  }
  const tsconfig = join(cwd, "tsconfig.json");
  if (existsSync(tsconfig)) say("  kept     tsconfig.json (already exists)");
  else {
    await writeFile(tsconfig, TSCONFIG);
    say("  created  tsconfig.json");
  }
  const pkgPath = join(cwd, "package.json");
  if (!existsSync(pkgPath)) {
    const pkg = {
      name,
      version: "0.1.0",
      private: true,
      type: "module",
      scripts: SCRIPTS,
      dependencies: { "@mcpgen/runtime": "^0.1.0" },
      devDependencies: { mcpgen: "^0.1.0", typescript: "^5.9.0", "@types/node": "^20.19.0" },
    };
    await writeFile(pkgPath, JSON.stringify(pkg, null, 2) + "\n");
    say("  created  package.json (run npm install)");
  } else {
    const text = await readFile(pkgPath, "utf8");
    const pkg = JSON.parse(text);
    const added: string[] = [];
    pkg.scripts ??= {};
    for (const [k, v] of Object.entries(SCRIPTS)) {
      if (pkg.scripts[k] === undefined) {
        pkg.scripts[k] = v;
        added.push(`scripts.${k}`);
      }
    }
    if (pkg.type === undefined) {
      pkg.type = "module";
      added.push("type");
    }
    if (added.length > 0) {
      await writeFile(pkgPath, JSON.stringify(pkg, null, 2) + "\n");
      say(`  updated  package.json (added ${added.join(", ")})`);
    } else say("  kept     package.json");
  }
  say("\nNext: npx mcpgen   (generates src/generated, handler stubs in src/handlers and src/server.ts)");
  return 0;
}
