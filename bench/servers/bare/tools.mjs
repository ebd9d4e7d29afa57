// The benchmark's tool surface with no framework at all: the ceiling. No validation,
// no capabilities, no sessions beyond an id: the same result shapes as the other two.

const INITIALIZE_RESULT = {
  protocolVersion: "2025-06-18",
  capabilities: { tools: { listChanged: true } },
  serverInfo: { name: "bench", version: "1.0.0" },
};

const TOOLS = {
  echo: ({ message }) => ({ message }),
  add: ({ a, b }) => ({ sum: a + b }),
  create_order: ({ customer, items }) => ({ orderId: `order-${customer.name}`, itemCount: items.reduce((n, item) => n + item.quantity, 0) }),
};

/** The reply to one parsed message, or undefined for a notification. */
export function answer(msg) {
  if (msg.id === undefined) return undefined;
  switch (msg.method) {
    case "initialize":
      return { jsonrpc: "2.0", id: msg.id, result: { ...INITIALIZE_RESULT, protocolVersion: msg.params?.protocolVersion ?? INITIALIZE_RESULT.protocolVersion } };
    case "ping":
      return { jsonrpc: "2.0", id: msg.id, result: {} };
    case "tools/call": {
      const tool = TOOLS[msg.params.name];
      const structuredContent = tool(msg.params.arguments);
      return { jsonrpc: "2.0", id: msg.id, result: { content: [{ type: "text", text: JSON.stringify(structuredContent) }], structuredContent } };
    }
    default:
      return { jsonrpc: "2.0", id: msg.id, error: { code: -32601, message: "Method not found" } };
  }
}
