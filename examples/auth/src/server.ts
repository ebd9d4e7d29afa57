import { runMain } from "@mcpgen/runtime";
import { authOptions, createServer } from "./generated/server.js";

// The issuer comes from mcp.yaml; AUTH_ISSUER overrides it (another environment, or the
// tests' own authorization server). Auth applies over HTTP (`--http`); stdio ignores it.
const issuer = process.env.AUTH_ISSUER;
await runMain(createServer(issuer ? { auth: { ...authOptions, authorizationServers: [issuer] } } : {}));
