/**
 * Regenerates test/fixtures/real-surfaces/<server>/surface.json from the published server
 * itself: starts the pinned npm package named in that folder's source.json over stdio, lists
 * tools, resources, resource templates and prompts with the official SDK client, and writes the
 * raw results. The snapshots are never edited by hand; mcp.yaml next to each is (and the
 * real-surfaces test checks that the server generated from it lists the same thing).
 *
 *   npm run surfaces:capture                 # every fixture
 *   npm run surfaces:capture -- memory       # one
 *   npm run surfaces:capture -- --draft      # a first mcp.yaml for fixtures without one
 *
 * source.json: {"package": "@scope/name", "version": "x.y.z", "args": [...], "env": {...}}
 * (`args` after the package's bin; `{tmp}` is replaced by a fresh empty folder).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { listCommand } from "../test/generator/surface-harness.js";

const fixtures = fileURLToPath(new URL("../test/fixtures/real-surfaces/", import.meta.url));
const only = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const captureAlso = !process.argv.includes("--draft");

for (const name of captureAlso ? readdirSync(fixtures) : []) {
  if (only.length > 0 && !only.includes(name)) continue;
  const source = JSON.parse(readFileSync(join(fixtures, name, "source.json"), "utf8")) as {
    package: string;
    version: string;
    bin?: string;
    args?: string[];
    env?: Record<string, string>;
  };
  const tmp = mkdtempSync(join(tmpdir(), "mcpgen-capture-"));
  try {
    const args = (source.args ?? []).map((a) => a.replaceAll("{tmp}", tmp));
    const npx = ["-y", `--package=${source.package}@${source.version}`, "--", source.bin ?? source.package.replace(/^@[^/]+\//, ""), ...args];
    const listed = await listCommand("npx", npx, tmp, Object.fromEntries(Object.entries(source.env ?? {}).map(([k, v]) => [k, v.replaceAll("{tmp}", tmp)])));
    const snapshot = {
      source: `${source.package}@${source.version}`,
      protocolVersion: listed.initialize.protocolVersion,
      tools: listed.tools,
      resources: listed.resources,
      resourceTemplates: listed.resourceTemplates,
      prompts: listed.prompts,
    };
    writeFileSync(join(fixtures, name, "surface.json"), JSON.stringify(snapshot, null, 2) + "\n");
    console.log(`${name}: ${listed.tools.length} tools, ${listed.resources.length} resources, ${listed.resourceTemplates.length} templates, ${listed.prompts.length} prompts`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * `--draft`: writes a first mcp.yaml for fixtures that have none, from their snapshot (every
 * listed field, as written). Read it by eye before committing: it is the manifest an author
 * would write for that server.
 */
if (process.argv.includes("--draft")) {
  const YAML = (await import("yaml")).default;
  for (const name of readdirSync(fixtures)) {
    const target = join(fixtures, name, "mcp.yaml");
    if (existsSync(target)) continue;
    const snap = JSON.parse(readFileSync(join(fixtures, name, "surface.json"), "utf8"));
    const source = JSON.parse(readFileSync(join(fixtures, name, "source.json"), "utf8"));
    const without = (o: Record<string, unknown>, ...keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
    const manifest: Record<string, unknown> = {
      version: 1,
      server: { name, version: source.version },
      generate: { client: false },
    };
    if (snap.tools.length) {
      manifest.tools = Object.fromEntries(snap.tools.map((t: any) => [t.name, {
        ...without(t, "name", "inputSchema", "outputSchema"),
        input: t.inputSchema,
        ...(t.outputSchema ? { output: t.outputSchema } : {}),
      }]));
    }
    const resources = [
      ...snap.resources.map((r: any) => [r.name, { uri: r.uri, ...without(r, "name", "uri") }]),
      ...snap.resourceTemplates.map((r: any) => [r.name, { uri: r.uriTemplate, ...without(r, "name", "uriTemplate") }]),
    ];
    if (resources.length) manifest.resources = Object.fromEntries(resources);
    if (snap.prompts.length) {
      manifest.prompts = Object.fromEntries(snap.prompts.map((p: any) => [p.name, {
        ...without(p, "name", "arguments"),
        ...(p.arguments ? { arguments: Object.fromEntries(p.arguments.map((a: any) => [a.name, without(a, "name")])) } : {}),
      }]));
    }
    const header = `# The listed surface of ${source.package}@${source.version} (surface.json, captured by\n# scripts/capture-real-surfaces.ts), written as an mcpgen manifest.\n`;
    writeFileSync(target, header + YAML.stringify(manifest, { lineWidth: 0 }));
    console.log(`drafted ${target}`);
  }
}
