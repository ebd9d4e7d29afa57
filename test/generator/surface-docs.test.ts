/**
 * `mcpgen docs`: golden references (examples/tour as Markdown and HTML, a kitchen-sink manifest
 * as Markdown), anchors, escaping, --out, errors.
 * Rewrite the goldens with `UPDATE_GOLDENS=1 node --import tsx --test test/generator/surface-docs.test.ts`.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { docsCommand } from "../../generator/src/surface/docs-command.js";
import { htmlText as escapeHtml } from "../../generator/src/emit/escape.js";
import { buildDocs, renderMarkdown, Slugger } from "../../generator/src/surface/docs.js";
import { surfaceFromText } from "../../generator/src/surface/load.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const FIXTURES = join(repoRoot, "test", "fixtures", "surface");
const TOUR = join(repoRoot, "examples", "tour");
const UPDATE = process.env.UPDATE_GOLDENS === "1";

/** As in diagnostics.test.ts: `UPDATE_GOLDENS=1` rewrites the golden instead of comparing. */
function golden(file: string, actual: string): void {
  if (UPDATE) {
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `missing golden ${file}: run with UPDATE_GOLDENS=1 to create it`);
  assert.equal(actual, readFileSync(file, "utf8"), `output differs from ${file} (UPDATE_GOLDENS=1 rewrites it)`);
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function docs(cwd: string, ...argv: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await docsCommand(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd,
    env: { NO_COLOR: "1" },
  });
  return { code, stdout, stderr };
}

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "mcpgen-docs-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const m = (body: string, server = "{ name: s, version: 1.0.0 }") => `version: 1\nserver: ${server}\n${body}\n`;

function markdownOf(text: string): string {
  const loaded = surfaceFromText("mcp.yaml", text, tmpdir());
  assert.ok(loaded.surface, loaded.diagnostics.map((d) => d.message).join("\n"));
  return renderMarkdown(buildDocs(loaded.surface));
}

describe("golden references", () => {
  test("examples/tour as Markdown", async () => {
    const r = await docs(TOUR);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    golden(join(FIXTURES, "tour.md"), r.stdout);
  });

  test("examples/tour as HTML", async () => {
    const r = await docs(TOUR, "--html");
    assert.equal(r.code, 0, r.stderr);
    golden(join(FIXTURES, "tour.html"), r.stdout);
  });

  test("every feature (auth, scopes, nesting, recursion, maps, details, templates, prompts)", async () => {
    const r = await docs(FIXTURES, "-c", "kitchen.yaml");
    assert.equal(r.code, 0, r.stderr);
    golden(join(FIXTURES, "kitchen.md"), r.stdout);
  });
});

describe("anchors", () => {
  test("the slugger follows github-slugger, repeats included", () => {
    const s = new Slugger();
    assert.deepEqual(
      ["Tools", "get_user", "Get User!", "a.b", "a", "a", "a-1", "Résumé ü", "..."].map((x) => s.slug(x)),
      ["tools", "get_user", "get-user", "ab", "a", "a-1", "a-1-1", "résumé-ü", "section"],
    );
  });

  test("every table-of-contents link points at a heading, also when a tool and a prompt share a name", () => {
    const md = markdownOf(m("tools:\n  review: {}\n  get.sum: {}\nprompts:\n  review: {}\nresources:\n  tools: { uri: x://t, text: hi }"));
    const slugger = new Slugger();
    const ids = md.split("\n").filter((l) => /^#{1,4} /.test(l)).map((l) => slugger.slug(l.replace(/^#+ /, "").replace(/`/g, "")));
    const links = [...md.matchAll(/\]\(#([^)]+)\)/g)].map((x) => x[1]);
    assert.ok(links.length >= 6);
    for (const link of links) assert.ok(ids.includes(link!), `no heading for #${link}`);
    assert.ok(links.includes("review") && links.includes("review-1"), links.join(" "));
    assert.ok(links.includes("tools") && links.includes("tools-1"), "the resource named tools does not steal the section's anchor");
  });
});

describe("escaping", () => {
  const hostile = m(
    [
      "tools:",
      "  t:",
      "    description: \"<script>alert('x')</script> & <b>bold</b>\"",
      "    input:",
      "      type: object",
      "      properties:",
      "        q: { type: string, description: \"a | b </td>\", pattern: \"^(a|b)$\", enum: [\"<i>\", \"x|y\", \"`tick`\"], default: \"<i>\" }",
    ].join("\n"),
    "{ name: s, version: 1.0.0, title: \"<img src=x onerror=alert(1)>\", websiteUrl: \"javascript:alert(1)\" }",
  );

  test("HTML: everything the author wrote is escaped; only safe links", async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, "mcp.yaml"), hostile);
    const r = await docs(dir, "--html");
    assert.equal(r.code, 0, r.stderr);
    const html = r.stdout;
    assert.ok(!html.includes("<script>"), "no raw script tag");
    assert.ok(!html.includes("<img"), "no raw img tag");
    assert.ok(!html.includes("<b>bold"), "no raw markup from descriptions");
    assert.ok(!html.includes("<i>"), "no raw markup from enum values");
    assert.ok(!/href="javascript:/i.test(html), "javascript: URLs never become links");
    assert.ok(html.includes("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"));
    assert.ok(html.includes("<title>&lt;img src=x onerror=alert(1)&gt;</title>"));
    assert.ok(html.includes('<a href="#">javascript:alert(1)</a>'));
    assert.ok(html.includes("<td>a | b &lt;/td&gt;</td>"), "a pipe is just text in HTML");
    assert.match(html, /^<!doctype html>\n<html lang="en">[\s\S]*<style>[\s\S]*<\/style>[\s\S]*<\/html>\n$/);
    assert.ok(!/<(script|link|img)\b/.test(html), "self-contained: no scripts, stylesheets or images");
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  test("Markdown: raw HTML is shown as text, pipes cannot break tables, backticks in code survive", () => {
    const md = markdownOf(hostile);
    assert.ok(!md.includes("<script>") && !md.includes("<b>") && !md.includes("<img"), md);
    assert.ok(md.includes("&lt;script>alert('x')&lt;/script> &amp; &lt;b>bold&lt;/b>"));
    assert.ok(md.includes("# &lt;img src=x onerror=alert(1)>"), "headings escape too");
    const row = md.split("\n").find((l) => l.startsWith("| `q` |"))!;
    assert.ok(row, md);
    // Unescaped pipes delimit cells: exactly one per column boundary.
    const header = md.split("\n").find((l) => l.startsWith("| Name |"))!;
    const cells = (l: string) => l.split(/(?<!\\)\|/).length;
    assert.equal(cells(row), cells(header));
    assert.ok(row.includes("a \\| b &lt;/td>"), row);
    assert.ok(row.includes("`^(a\\|b)$`"), row);
    assert.ok(row.includes('``"`tick`"``'), row);
    assert.ok(row.includes('`"<i>"`'), "inside code spans, markup is literal text");
  });
});

describe("mcpgen docs", () => {
  test("--out writes the file (creating folders) and says so; --html --out", async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, "mcp.yaml"), readFileSync(join(TOUR, "mcp.yaml"), "utf8"));
    const r = await docs(dir, "--out", "docs/api/API.md");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, "mcpgen docs: wrote docs/api/API.md\n");
    assert.equal(readFileSync(join(dir, "docs/api/API.md"), "utf8"), readFileSync(join(FIXTURES, "tour.md"), "utf8"));
    const h = await docs(tmpdir(), "docs", "--cwd", dir, "--html", "--out", "api.html");
    assert.equal(h.code, 0, h.stderr);
    assert.equal(readFileSync(join(dir, "api.html"), "utf8"), readFileSync(join(FIXTURES, "tour.html"), "utf8"));
  });

  test("an invalid manifest prints its diagnostics and exits 2; usage errors exit 2", async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, "mcp.yaml"), "version: 1\nserver: { name: s }\n");
    const r = await docs(dir);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /mcp\.yaml:2:\d+ error\[missing-key\]/);
    const missing = await docs(dir, "-c", "nope.yaml");
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /No manifest at nope\.yaml/);
    const bad = await docs(dir, "--bogus");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Unknown option '--bogus'/);
    const positional = await docs(dir, "extra");
    assert.equal(positional.code, 2);
    const help = await docs(dir, "-h");
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^mcpgen docs: /);
  });

  test("the conformance example renders, with its 2020-12 schema in a details block", async () => {
    const r = await docs(join(repoRoot, "examples", "conformance"));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /### `json_schema_2020_12_tool`[\s\S]*<details>\n<summary>JSON Schema of the input<\/summary>\n\n```json\n\{\n {2}"\$schema"/);
    assert.match(r.stdout, /### `test_dynamic_tool`\n\nA tool that appears 2 seconds after the server starts\n\n- \*\*Disabled at start:\*\*/);
  });
});

test("the mcpgen CLI dispatches diff and docs", async () => {
  const { main } = await import("../../generator/src/cli/main.js");
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, cwd: process.cwd(), env: {} };
  assert.equal(await main(["docs", "--cwd", "examples/tour"], io), 0, err.join(""));
  assert.match(out.join(""), /^# mcpgen Tour/);
  out.length = 0;
  assert.equal(await main(["diff", "--cwd", "examples/tour", "--against", "mcp.yaml"], io), 0, err.join(""));
  assert.match(out.join("") + err.join(""), /no changes to the server's surface/);
  assert.equal(await main(["--help"], io), 0);
  assert.match(out.join(""), /diff\s+Compare the server's surface/);
});
