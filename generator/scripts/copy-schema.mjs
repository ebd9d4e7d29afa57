// The published package carries its own copy of the manifest schema (the repo's single
// source is ../schemas/mcp.schema.json), so `$schema: ./node_modules/mcpgen/schemas/...` works.
import { copyFileSync, mkdirSync } from "node:fs";
const here = new URL("..", import.meta.url);
mkdirSync(new URL("schemas/", here), { recursive: true });
copyFileSync(new URL("../schemas/mcp.schema.json", here), new URL("schemas/mcp.schema.json", here));
