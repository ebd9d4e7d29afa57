import { runMain } from "@mcpgen/runtime";
import { createServer } from "./generated/server.js";

// Serves on stdio by default; `--http [port]` serves Streamable HTTP.
await runMain(createServer());
