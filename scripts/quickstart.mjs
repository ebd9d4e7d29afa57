// The README's first command ends here: regenerate the quickstart example from its
// mcp.yaml, start it over stdio, and drive it with the official MCP SDK client.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const example = fileURLToPath(new URL("../examples/quickstart/", import.meta.url));
const mcpgen = fileURLToPath(new URL("../generator/bin/mcpgen.js", import.meta.url));

console.log("$ mcpgen   (in examples/quickstart)");
execFileSync(process.execPath, [mcpgen], { cwd: example, stdio: "inherit" });

console.log("\n$ starting the server over stdio and connecting the official SDK client");
const transport = new StdioClientTransport({
  command: process.execPath,
  args: ["--import", "tsx", "src/server.ts"],
  cwd: example,
  stderr: "inherit",
});
const client = new Client({ name: "quickstart-demo", version: "1.0.0" });
await client.connect(transport);
const info = client.getServerVersion();
console.log(`connected to ${info.name} ${info.version}`);

const { tools } = await client.listTools();
console.log(`tools: ${tools.map((t) => t.name).join(", ")}`);
const sum = await client.callTool({ name: "add", arguments: { a: 2, b: 3 } });
console.log(`add(2, 3) → ${JSON.stringify(sum.structuredContent)}`);
const bad = await client.callTool({ name: "add", arguments: { a: "two", b: 3 } });
console.log(`add("two", 3) → isError=${bad.isError}: ${bad.content[0].text.replace(/\n/g, " ")}`);
const { resourceTemplates } = await client.listResourceTemplates();
console.log(`templates: ${resourceTemplates.map((t) => t.uriTemplate).join(", ")}`);
const greeting = await client.readResource({ uri: "greeting://World" });
console.log(`greeting://World → ${greeting.contents[0].text}`);
await client.close();
console.log("\nquickstart: OK");
