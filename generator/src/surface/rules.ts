/**
 * Every rule `mcpgen diff` classifies a change under. Names are stable (scripts match on
 * them); docs/diff.md lists them with the same severities and reasons.
 *
 * - breaking: clients written against the old surface fail.
 * - dangerous: they may fail or behave differently, depending on what they do.
 * - safe: they keep working.
 *
 * Schema rules apply to data clients send (`input`: tool arguments, template params) and to
 * data they receive (`output`), with opposite risks; such rules give one severity per side.
 */

export type ChangeSeverity = "breaking" | "dangerous" | "safe";
export type Direction = "input" | "output";

export interface RuleInfo {
  /** One severity, or one per side for schema rules. */
  severity: ChangeSeverity | { input: ChangeSeverity; output: ChangeSeverity };
  /** Why, in a sentence (docs/diff.md, JSON output, GitHub annotations). */
  why: string;
  /** When one change can get another severity than the rule's, and why (documented). */
  exception?: string;
}

export const RULES = {
  // --- server and auth
  "server-renamed": { severity: "dangerous", why: "Clients and their configuration identify servers by name." },
  "title-changed": { severity: "safe", why: "Titles are for display only." },
  "description-changed": { severity: "safe", why: "Descriptions are documentation; models may read them differently, but calls still work." },
  "instructions-changed": { severity: "safe", why: "Instructions guide the model; no call depends on them." },
  "metadata-changed": { severity: "safe", why: "Version, website, icons, _meta, size and resource annotations are informational." },
  "auth-added": { severity: "breaking", why: "Clients that connected without a token are now refused." },
  "auth-removed": { severity: "safe", why: "Every client that could connect still can (review it anyway: the server is now open)." },
  "auth-issuer-removed": { severity: "breaking", why: "Tokens from the removed authorization server are refused." },
  "auth-issuer-added": { severity: "safe", why: "Tokens from the existing authorization servers are still accepted." },
  "auth-resource-changed": { severity: "breaking", why: "Tokens are issued for a resource (audience); tokens for the old one are refused." },
  "auth-verifier-changed": { severity: "dangerous", why: "Tokens are checked differently (jwt, introspection, custom, apiKey); some accepted before may be refused." },
  "scope-added": { severity: "breaking", why: "Existing tokens lack the new scope: requests are refused, or the item is hidden or fails with insufficient_scope." },
  "scope-removed": { severity: "safe", why: "Tokens that had every scope before still do." },
  // --- any item
  "item-disabled": { severity: "dangerous", why: "`enabled: false`: the item is no longer listed or callable until the server enables it at run time." },
  "item-enabled": { severity: "safe", why: "The item is listed from the start." },
  "completion-removed": { severity: "dangerous", why: "completion/complete no longer suggests values for this argument." },
  "completion-added": { severity: "safe", why: "Clients may ask for completions; nothing requires them to." },
  // --- tools
  "tool-removed": { severity: "breaking", why: "Clients calling it get an unknown-tool error." },
  "tool-added": { severity: "safe", why: "Clients that do not know it never call it." },
  "tool-no-longer-read-only": { severity: "dangerous", why: "readOnlyHint true -> false: clients may have auto-approved it as harmless." },
  "tool-became-destructive": { severity: "dangerous", why: "destructiveHint now true (explicitly, or by default once not read-only): clients may have auto-approved it." },
  "tool-no-longer-idempotent": { severity: "dangerous", why: "idempotentHint true -> false: clients may retry calls that now have side effects each time." },
  "tool-became-open-world": { severity: "dangerous", why: "openWorldHint false -> true: the tool now reaches outside systems." },
  "tool-annotation-changed": { severity: "safe", why: "An annotation changed towards the cautious side (or its display title changed)." },
  "task-support-narrowed": { severity: "breaking", why: "execution.taskSupport no longer accepts a way of calling it (plain calls or task-augmented calls) that it accepted." },
  "task-support-widened": { severity: "safe", why: "execution.taskSupport accepts every way of calling it that it accepted before." },
  "client-request-added": { severity: "dangerous", why: "The tool now asks the client for sampling, elicitation or roots; clients without that capability may fail." },
  "client-request-removed": { severity: "safe", why: "The tool asks the client for less." },
  // --- schemas (tool input and output, template params)
  "required-input-added": { severity: "breaking", why: "Old clients do not send the new required property and are rejected." },
  "optional-input-added": { severity: "safe", why: "Old clients simply do not send it." },
  "input-property-removed": {
    severity: "dangerous",
    why: "Old clients still send it: it is accepted but ignored.",
    exception: "breaking when the object is closed (additionalProperties or unevaluatedProperties false): the argument is then rejected",
  },
  "input-made-required": { severity: "breaking", why: "Old clients that leave it out are rejected." },
  "input-made-optional": { severity: "safe", why: "Every value accepted before still is." },
  "input-type-narrowed": { severity: "breaking", why: "Values of the dropped type (or of a changed type) are rejected." },
  "input-type-widened": { severity: "safe", why: "Every value accepted before still is." },
  "output-schema-added": { severity: "safe", why: "Clients get structuredContent they may use; the text content is unchanged." },
  "output-schema-removed": { severity: "breaking", why: "Clients reading structuredContent get none." },
  "output-property-added": { severity: "safe", why: "Clients ignore properties they do not know." },
  "output-property-removed": {
    severity: "breaking",
    why: "Clients reading it get nothing.",
    exception: "dangerous instead when it was optional: careful clients already handle its absence",
  },
  "output-property-made-optional": { severity: "breaking", why: "Clients rely on it always being present (generated types make it non-optional)." },
  "output-property-made-required": { severity: "safe", why: "It is now always present, which clients already handled." },
  "output-type-changed": { severity: "breaking", why: "Clients get values of a type they did not expect." },
  "output-type-narrowed": { severity: "safe", why: "Every value produced is one clients already handled." },
  "enum-value-removed": { severity: { input: "breaking", output: "safe" }, why: "Input: clients sending it are rejected. Output: it is just never produced." },
  "enum-value-added": { severity: { input: "safe", output: "dangerous" }, why: "Input: a new choice. Output: clients may not handle the new value (exhaustive switches)." },
  "constraint-tightened": {
    severity: { input: "breaking", output: "safe" },
    why: "minLength/maximum/pattern/format/enum/additionalProperties... now reject values accepted before. Harmless on output.",
  },
  "constraint-loosened": {
    severity: { input: "safe", output: "dangerous" },
    why: "More values are accepted. On output, clients may get values outside what they relied on.",
  },
  "variant-added": { severity: { input: "safe", output: "dangerous" }, why: "A new anyOf/oneOf alternative: more inputs accepted; outputs of a shape clients do not expect." },
  "variant-removed": { severity: { input: "breaking", output: "safe" }, why: "An anyOf/oneOf alternative is gone: inputs of that shape are rejected." },
  "default-changed": { severity: { input: "dangerous", output: "safe" }, why: "Clients that leave the value out get different behaviour." },
  "schema-changed": { severity: "dangerous", why: "A keyword mcpgen cannot classify (if/then/else, not, allOf, patternProperties, $ref...) changed: review it." },
  "schema-annotation-changed": { severity: "safe", why: "examples, deprecated, $comment, readOnly, writeOnly or x-* changed: documentation only." },
  // --- resources and templates
  "resource-removed": { severity: "breaking", why: "Reading its URI fails; it is gone from resources/list." },
  "resource-added": { severity: "safe", why: "Clients that do not know it never read it." },
  "resource-renamed": { severity: "dangerous", why: "Same URI (or URI template) under a new name: reads still work, clients matching the name do not." },
  "resource-uri-changed": { severity: "breaking", why: "Reading the old URI fails." },
  "mime-type-changed": { severity: "dangerous", why: "Clients may not be able to use the content in its new type." },
  "subscribe-removed": { severity: "dangerous", why: "resources/subscribe no longer applies: subscribers stop getting updates." },
  "subscribe-added": { severity: "safe", why: "Clients may now subscribe." },
  "template-removed": { severity: "breaking", why: "Reading URIs of the template fails." },
  "template-added": { severity: "safe", why: "Clients that do not know it never read it." },
  "template-uri-changed": { severity: "breaking", why: "URIs built from the old template no longer match." },
  "template-param-added": { severity: "breaking", why: "URIs built from the old template lack the new variable and no longer match." },
  "template-param-removed": { severity: "breaking", why: "URIs built from the old template carry a variable it no longer has and no longer match." },
  "template-listing-removed": { severity: "dangerous", why: "`list: false`: concrete resources of the template leave resources/list." },
  "template-listing-added": { severity: "safe", why: "Concrete resources of the template appear in resources/list." },
  // --- prompts
  "prompt-removed": { severity: "breaking", why: "prompts/get for it fails." },
  "prompt-added": { severity: "safe", why: "Clients that do not know it never ask for it." },
  "prompt-argument-required-added": { severity: "breaking", why: "Old clients do not send the new required argument and get -32602." },
  "prompt-argument-added": { severity: "safe", why: "An optional argument old clients simply do not send." },
  "prompt-argument-removed": { severity: "dangerous", why: "Old clients still send it; it is ignored, so the prompt no longer reflects it." },
  "prompt-argument-made-required": { severity: "breaking", why: "Old clients that leave it out get -32602." },
  "prompt-argument-made-optional": { severity: "safe", why: "Every request accepted before still is." },
} as const satisfies Record<string, RuleInfo>;

export type RuleName = keyof typeof RULES;

export const RULE_NAMES = Object.keys(RULES) as RuleName[];

/** The severity of a rule on one side (schema rules) or overall. */
export function ruleSeverity(rule: RuleName, direction: Direction = "input"): ChangeSeverity {
  const s = (RULES[rule] as RuleInfo).severity;
  return typeof s === "string" ? s : s[direction];
}

export const SEVERITY_ORDER: readonly ChangeSeverity[] = ["breaking", "dangerous", "safe"];
