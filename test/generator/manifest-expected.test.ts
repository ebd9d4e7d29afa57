/**
 * The oracle of the manifest property (manifest-expected.ts) against hand-written cases of
 * the documented mapping, so a wrong oracle cannot make the property pass or fail for nothing.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { canonicalJson } from "./surface-harness.js";
import { expectedSurface, wireSchema } from "./manifest-expected.js";
import { encodePointerSegment, typeRef } from "./manifest-arbitraries.js";

const same = (actual: unknown, expected: unknown) => assert.equal(canonicalJson(actual), canonicalJson(expected));

test("a root type reference is replaced by the type, siblings on top; other references go to $defs", () => {
  const types = JSON.parse('{"Node": {"type": "object", "properties": {"next": {"$ref": "#/types/Node"}}}, "a/b c": {"type": "string"}}');
  same(wireSchema({ $ref: "#/types/Node", description: "d" }, types), {
    type: "object",
    properties: { next: { $ref: "#/$defs/Node" } },
    description: "d",
    $defs: { Node: { type: "object", properties: { next: { $ref: "#/$defs/Node" } } } },
  });
  const ref = typeRef("a/b c");
  assert.equal(ref, `#/types/${encodeURIComponent("a~1b c")}`);
  same(wireSchema({ type: "object", properties: { x: { $ref: ref } }, $defs: { local: { type: "null" } } }, types), {
    type: "object",
    properties: { x: { $ref: `#/$defs/${encodePointerSegment("a/b c")}` } },
    $defs: { local: { type: "null" }, "a/b c": { type: "string" } },
  });
});

test("schemas without type references, and __proto__ keys, pass through unchanged", () => {
  const schema = JSON.parse('{"type": "object", "properties": {"__proto__": {"type": "string", "default": "x", "x-a": [1]}}, "required": ["__proto__"]}');
  assert.equal(canonicalJson(wireSchema(schema, {})), canonicalJson(schema));
  assert.ok(canonicalJson(schema).includes('"__proto__"'));
});

test("outputs: objects as written, anything else wrapped in {result}; prompts keep argument order", () => {
  const surface = expectedSurface(
    JSON.parse(`{"version": 1, "server": {"name": "s", "version": "1", "instructions": "i"},
      "types": {"N": {"type": "integer"}},
      "tools": {"a": {"output": {"$ref": "#/types/N"}}, "b": {"output": {"type": "object"}, "title": "B"}},
      "prompts": {"p": {"arguments": {"z": {"required": true}, "a": {"required": false, "title": "A"}}, "template": "{{z}}!"}},
      "resources": {"r": {"uri": "x://r", "text": "t", "size": 1}, "t": {"uri": "x://{id}", "mimeType": "m"}}}`),
  );
  same(surface.tools, [
    // The wrapper is the root now, so the reference inside it goes to $defs.
    { name: "a", inputSchema: { type: "object" }, outputSchema: { type: "object", properties: { result: { $ref: "#/$defs/N" } }, required: ["result"], $defs: { N: { type: "integer" } } } },
    { name: "b", title: "B", inputSchema: { type: "object" }, outputSchema: { type: "object" } },
  ]);
  same(surface.prompts, [{ name: "p", arguments: [{ name: "z", required: true }, { name: "a", title: "A", required: false }] }]);
  same(surface.resources, [{ uri: "x://r", name: "r", size: 1 }]);
  same(surface.resourceTemplates, [{ uriTemplate: "x://{id}", name: "t", mimeType: "m" }]);
  same(surface.serverInfo, { name: "s", version: "1" });
  assert.equal(surface.instructions, "i");
  assert.equal(surface.inlineTexts.get("x://r"), "t");
  assert.equal(surface.renderedPrompts[0]!.messages.length, 1);
});
