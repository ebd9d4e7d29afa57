// The bare node:http handler: read the body, JSON.parse, JSON.stringify.
//   node http.mjs PORT          JSON replies, no sessions
//   node http.mjs PORT --sse    an Mcp-Session-Id from initialize, each reply as one SSE event
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { answer } from "./tools.mjs";

const port = Number(process.argv[2] ?? 3000);
const sse = process.argv.includes("--sse");
const sessions = new Set();

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const msg = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const reply = answer(msg);
    const headers = {};
    if (sse) {
      let id = req.headers["mcp-session-id"];
      if (msg.method === "initialize") sessions.add((id = randomUUID()));
      else if (!sessions.has(id)) {
        res.writeHead(404).end();
        return;
      }
      headers["mcp-session-id"] = id;
    }
    if (!reply) {
      res.writeHead(202, headers).end();
    } else if (sse) {
      res.writeHead(200, { ...headers, "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.end(`event: message\ndata: ${JSON.stringify(reply)}\n\n`);
    } else {
      const body = JSON.stringify(reply);
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    }
  });
});
server.listen(port, "127.0.0.1", () => process.stderr.write(`bare listening on http://127.0.0.1:${server.address().port}/mcp\n`));
process.on("SIGTERM", () => process.exit(0));
