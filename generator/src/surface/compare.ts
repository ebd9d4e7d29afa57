/**
 * Compares two server surfaces and classifies every difference under a named rule
 * (rules.ts). Items are matched by their protocol name; schemas are walked node by node
 * (properties, items, anyOf/oneOf, ...) with JSON-pointer paths such as
 * `/input/properties/address/properties/zip`.
 */

import type { JsonPath } from "../load/index.js";
import { ruleSeverity, type ChangeSeverity, type Direction, type RuleName } from "./rules.js";
import {
  allowsType,
  canonical,
  cycleOf,
  isRecord,
  pointerSegment,
  sourceOf,
  typesOf,
  typesWithin,
  type SNode,
} from "./schema.js";
import type { Surface, SurfaceItem, SurfacePrompt, SurfaceResource, SurfaceTemplate, SurfaceTool } from "./surface.js";

export type ItemKind = "server" | "auth" | "tool" | "resource" | "template" | "prompt";

export interface Change {
  rule: RuleName;
  severity: ChangeSeverity;
  kind: ItemKind;
  /** The item's protocol name; absent for server and auth changes. */
  item?: string;
  /** A JSON pointer inside the item (`/input/properties/city`), when the change is inside it. */
  path?: string;
  message: string;
  /** Where the change is in the NEW manifest (the nearest existing node is used for removals). */
  at: JsonPath;
}

type Emit = (rule: RuleName, message: string, at: JsonPath, extra?: { path?: string; direction?: Direction; severity?: ChangeSeverity }) => void;

/** Every difference between the old surface and the new one, in a stable order. */
export function compareSurfaces(before: Surface, after: Surface): Change[] {
  const changes: Change[] = [];
  const emitter = (kind: ItemKind, item?: string): Emit => (rule, message, at, extra = {}) => {
    const change: Change = { rule, severity: extra.severity ?? ruleSeverity(rule, extra.direction), kind, message, at };
    if (item !== undefined) change.item = item;
    if (extra.path !== undefined) change.path = extra.path;
    changes.push(change);
  };

  compareServer(before, after, emitter("server"));
  compareAuth(before, after, emitter("auth"));
  const scopesMatter = after.auth !== undefined;

  matchItems(before.tools, after.tools, {
    removed: (t) => emitter("tool", t.name)("tool-removed", `tool \`${t.name}\` was removed`, ["tools"]),
    added: (t) => emitter("tool", t.name)("tool-added", `new tool \`${t.name}\``, t.at),
    both: (a, b) => compareTool(a, b, emitter("tool", b.name), scopesMatter),
  });
  matchItems(before.resources, after.resources, {
    rename: (a, b) => a.uri === b.uri,
    renamed: (a, b) => emitter("resource", b.name)("resource-renamed", `resource \`${a.name}\` is now named \`${b.name}\` (same URI ${b.uri})`, [...b.at, "uri"]),
    removed: (r) => emitter("resource", r.name)("resource-removed", `resource \`${r.name}\` (${r.uri}) was removed`, ["resources"]),
    added: (r) => emitter("resource", r.name)("resource-added", `new resource \`${r.name}\` (${r.uri})`, r.at),
    both: (a, b) => compareResource(a, b, emitter("resource", b.name), scopesMatter),
  });
  matchItems(before.templates, after.templates, {
    rename: (a, b) => a.uriTemplate === b.uriTemplate,
    renamed: (a, b) =>
      emitter("template", b.name)("resource-renamed", `resource template \`${a.name}\` is now named \`${b.name}\` (same URI template ${b.uriTemplate})`, [...b.at, "uri"]),
    removed: (r) => emitter("template", r.name)("template-removed", `resource template \`${r.name}\` (${r.uriTemplate}) was removed`, ["resources"]),
    added: (r) => emitter("template", r.name)("template-added", `new resource template \`${r.name}\` (${r.uriTemplate})`, r.at),
    both: (a, b) => compareTemplate(a, b, emitter("template", b.name), scopesMatter),
  });
  matchItems(before.prompts, after.prompts, {
    removed: (p) => emitter("prompt", p.name)("prompt-removed", `prompt \`${p.name}\` was removed`, ["prompts"]),
    added: (p) => emitter("prompt", p.name)("prompt-added", `new prompt \`${p.name}\``, p.at),
    both: (a, b) => comparePrompt(a, b, emitter("prompt", b.name), scopesMatter),
  });
  return changes;
}

interface Matchers<T> {
  removed(a: T): void;
  added(b: T): void;
  both(a: T, b: T): void;
  /** Items that left under one name and arrived under another, when this says they are the same. */
  rename?(a: T, b: T): boolean;
  renamed?(a: T, b: T): void;
}

function matchItems<T extends { name: string }>(before: T[], after: T[], m: Matchers<T>): void {
  const newByName = new Map(after.map((x) => [x.name, x]));
  const oldByName = new Map(before.map((x) => [x.name, x]));
  const added = after.filter((x) => !oldByName.has(x.name));
  const renamedTo = new Set<T>();
  for (const a of before) {
    const b = newByName.get(a.name);
    if (b) {
      m.both(a, b);
      continue;
    }
    const target = m.rename ? added.find((x) => !renamedTo.has(x) && m.rename!(a, x)) : undefined;
    if (target && m.renamed) {
      renamedTo.add(target);
      m.renamed(a, target);
      m.both(a, target);
    } else m.removed(a);
  }
  for (const b of added) if (!renamedTo.has(b)) m.added(b);
}

// ------------------------------------------------------------------ server, auth, common

const show = (v: unknown): string => {
  if (v === undefined) return "(none)";
  const s = typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

function compareServer(a: Surface, b: Surface, emit: Emit): void {
  const s = a.server;
  const t = b.server;
  if (s.name !== t.name) emit("server-renamed", `server name ${show(s.name)} -> ${show(t.name)}`, ["server", "name"]);
  if (s.title !== t.title) emit("title-changed", `server title ${show(s.title)} -> ${show(t.title)}`, ["server", "title"]);
  if (s.description !== t.description) emit("description-changed", "server description changed", ["server", "description"]);
  if (s.instructions !== t.instructions) emit("instructions-changed", "server instructions changed", ["server", "instructions"]);
  if (s.version !== t.version) emit("metadata-changed", `server version ${show(s.version)} -> ${show(t.version)}`, ["server", "version"]);
  if (s.websiteUrl !== t.websiteUrl) emit("metadata-changed", `server websiteUrl ${show(s.websiteUrl)} -> ${show(t.websiteUrl)}`, ["server", "websiteUrl"]);
  if (canonical(s.icons) !== canonical(t.icons)) emit("metadata-changed", "server icons changed", ["server", "icons"]);
}

function compareAuth(before: Surface, after: Surface, emit: Emit): void {
  const a = before.auth;
  const b = after.auth;
  if (!a && !b) return;
  if (!a && b) {
    emit("auth-added", "the server now requires OAuth tokens (auth added)", b.at);
    return;
  }
  if (a && !b) {
    emit("auth-removed", "the server no longer requires tokens (auth removed)", ["auth"]);
    return;
  }
  if (!a || !b) return;
  for (const issuer of a.authorizationServers) {
    if (!b.authorizationServers.includes(issuer)) emit("auth-issuer-removed", `authorization server ${issuer} removed`, ["auth", "authorizationServers"]);
  }
  for (const issuer of b.authorizationServers) {
    if (!a.authorizationServers.includes(issuer)) emit("auth-issuer-added", `authorization server ${issuer} added`, ["auth", "authorizationServers"]);
  }
  if (a.resource !== b.resource) emit("auth-resource-changed", `auth.resource ${show(a.resource)} -> ${show(b.resource)}`, ["auth", "resource"]);
  if (a.audience !== b.audience) emit("auth-resource-changed", `auth.audience ${show(a.audience)} -> ${show(b.audience)}`, ["auth", "audience"]);
  if (a.verifier !== b.verifier) emit("auth-verifier-changed", `auth.verifier ${a.verifier} -> ${b.verifier}`, ["auth", "verifier"]);
  for (const key of ["algorithms", "introspection", "apiKey"] as const) {
    if (canonical(a.settings[key]) !== canonical(b.settings[key])) emit("auth-verifier-changed", `auth.${key} changed`, ["auth", key]);
  }
  compareScopes(a.scopes, b.scopes, "every request", ["auth", "scopes"], emit);
}

function compareScopes(a: string[], b: string[], what: string, at: JsonPath, emit: Emit): void {
  for (const s of b) if (!a.includes(s)) emit("scope-added", `${what} now needs scope \`${s}\``, at);
  for (const s of a) if (!b.includes(s)) emit("scope-removed", `${what} no longer needs scope \`${s}\``, at);
}

function compareCommon(label: string, a: SurfaceItem, b: SurfaceItem, emit: Emit, scopesMatter: boolean): void {
  if (a.title !== b.title) emit("title-changed", `${label} title ${show(a.title)} -> ${show(b.title)}`, [...b.at, "title"]);
  if (a.description !== b.description) emit("description-changed", `${label} description changed`, [...b.at, "description"]);
  if (a.enabled && !b.enabled) emit("item-disabled", `${label} is now \`enabled: false\` (unlisted until enabled at run time)`, [...b.at, "enabled"]);
  if (!a.enabled && b.enabled) emit("item-enabled", `${label} is now enabled from the start`, [...b.at, "enabled"]);
  for (const key of new Set([...Object.keys(a.metadata), ...Object.keys(b.metadata)])) {
    if (canonical(a.metadata[key]) !== canonical(b.metadata[key])) emit("metadata-changed", `${label} ${key} changed`, [...b.at, key]);
  }
  if (scopesMatter) compareScopes(a.scopes, b.scopes, label, [...b.at, "scopes"], emit);
}

// ------------------------------------------------------------------ tools

function compareTool(a: SurfaceTool, b: SurfaceTool, emit: Emit, scopesMatter: boolean): void {
  const label = `tool \`${b.name}\``;
  compareCommon(label, a, b, emit, scopesMatter);
  compareAnnotations(a, b, emit);

  const modes = { forbidden: ["plain"], optional: ["plain", "task"], required: ["task"] } as const;
  if (a.taskSupport !== b.taskSupport) {
    const widened = modes[a.taskSupport].every((x) => (modes[b.taskSupport] as readonly string[]).includes(x));
    emit(widened ? "task-support-widened" : "task-support-narrowed", `execution.taskSupport ${a.taskSupport} -> ${b.taskSupport}`, [...b.at, "execution", "taskSupport"]);
  }

  const requests: [string, boolean, boolean, string][] = [
    ["sampling", a.sampling, b.sampling, "sampling"],
    ["roots", a.roots, b.roots, "roots"],
    ["elicitation", a.elicitations.length > 0, b.elicitations.length > 0, "elicit"],
  ];
  for (const [what, had, has, key] of requests) {
    if (!had && has) emit("client-request-added", `${label} now asks the client for ${what}`, [...b.at, key]);
    if (had && !has) emit("client-request-removed", `${label} no longer asks the client for ${what}`, b.at);
  }

  diffSchema(a.input, b.input, "/input", { label, direction: "input", emit, fallback: [...b.at, "input"] });
  if (a.wireOutput === undefined && b.wireOutput !== undefined) {
    emit("output-schema-added", `${label} now declares an output schema`, [...b.at, "output"], { path: "/output" });
  } else if (a.wireOutput !== undefined && b.wireOutput === undefined) {
    emit("output-schema-removed", `${label} no longer declares an output schema (no structuredContent)`, b.at, { path: "/output" });
  } else if (a.wireOutput !== undefined && b.wireOutput !== undefined) {
    diffSchema(a.wireOutput, b.wireOutput, "/output", { label, direction: "output", emit, fallback: [...b.at, "output"] });
  }
}

function compareAnnotations(a: SurfaceTool, b: SurfaceTool, emit: Emit): void {
  const x = a.annotations;
  const y = b.annotations;
  const at = [...b.at, "annotations"];
  // Effective values under the MCP defaults: readOnly false, destructive true (when not
  // read-only), idempotent false, openWorld true.
  const eff = (n: typeof x) => {
    const readOnly = n.readOnlyHint === true;
    return { readOnly, destructive: !readOnly && n.destructiveHint !== false, idempotent: n.idempotentHint === true, openWorld: n.openWorldHint !== false };
  };
  const ea = eff(x);
  const eb = eff(y);
  const explained = new Set<string>();
  if (ea.readOnly && !eb.readOnly) {
    emit("tool-no-longer-read-only", `tool \`${b.name}\` is no longer read-only (readOnlyHint ${show(x.readOnlyHint)} -> ${show(y.readOnlyHint)})`, [...at, "readOnlyHint"]);
    explained.add("readOnlyHint");
  }
  if (!ea.destructive && eb.destructive) {
    const how = y.destructiveHint === true ? "destructiveHint is now true" : "destructiveHint is now true by default (the tool is not read-only)";
    emit("tool-became-destructive", `tool \`${b.name}\` may now be destructive: ${how}`, [...at, "destructiveHint"]);
    explained.add("destructiveHint");
  }
  if (ea.idempotent && !eb.idempotent) {
    emit("tool-no-longer-idempotent", `tool \`${b.name}\` is no longer idempotent (idempotentHint ${show(x.idempotentHint)} -> ${show(y.idempotentHint)})`, [...at, "idempotentHint"]);
    explained.add("idempotentHint");
  }
  if (!ea.openWorld && eb.openWorld) {
    emit("tool-became-open-world", `tool \`${b.name}\` now reaches the open world (openWorldHint ${show(x.openWorldHint)} -> ${show(y.openWorldHint)})`, [...at, "openWorldHint"]);
    explained.add("openWorldHint");
  }
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const key of [...keys].sort()) {
    const before = (x as Record<string, unknown>)[key];
    const after = (y as Record<string, unknown>)[key];
    if (explained.has(key) || canonical(before) === canonical(after)) continue;
    emit("tool-annotation-changed", `tool \`${b.name}\` annotation ${key} ${show(before)} -> ${show(after)}`, [...at, key]);
  }
}

// ------------------------------------------------------------------ resources and templates

function compareResource(a: SurfaceResource, b: SurfaceResource, emit: Emit, scopesMatter: boolean): void {
  const label = `resource \`${b.name}\``;
  if (a.uri !== b.uri) emit("resource-uri-changed", `${label} URI ${a.uri} -> ${b.uri}`, [...b.at, "uri"]);
  compareMimeAndSubscribe(label, a, b, emit);
  compareCommon(label, a, b, emit, scopesMatter);
}

function compareMimeAndSubscribe(label: string, a: SurfaceResource | SurfaceTemplate, b: SurfaceResource | SurfaceTemplate, emit: Emit): void {
  if (a.mimeType !== b.mimeType) emit("mime-type-changed", `${label} mimeType ${show(a.mimeType)} -> ${show(b.mimeType)}`, [...b.at, "mimeType"]);
  if (a.subscribe && !b.subscribe) emit("subscribe-removed", `${label} no longer supports subscriptions`, [...b.at, "subscribe"]);
  if (!a.subscribe && b.subscribe) emit("subscribe-added", `${label} now supports subscriptions`, [...b.at, "subscribe"]);
}

function compareTemplate(a: SurfaceTemplate, b: SurfaceTemplate, emit: Emit, scopesMatter: boolean): void {
  const label = `resource template \`${b.name}\``;
  const oldVars = a.params.map((p) => p.name);
  const newVars = b.params.map((p) => p.name);
  let varsChanged = false;
  for (const v of newVars) {
    if (!oldVars.includes(v)) {
      varsChanged = true;
      emit("template-param-added", `${label} has a new variable \`${v}\` (${a.uriTemplate} -> ${b.uriTemplate})`, [...b.at, "uri"], { path: `/params/${pointerSegment(v)}` });
    }
  }
  for (const v of oldVars) {
    if (!newVars.includes(v)) {
      varsChanged = true;
      emit("template-param-removed", `${label} lost variable \`${v}\` (${a.uriTemplate} -> ${b.uriTemplate})`, [...b.at, "uri"], { path: `/params/${pointerSegment(v)}` });
    }
  }
  if (!varsChanged && a.uriTemplate !== b.uriTemplate) emit("template-uri-changed", `${label} URI template ${a.uriTemplate} -> ${b.uriTemplate}`, [...b.at, "uri"]);
  for (const p of b.params) {
    const q = a.params.find((x) => x.name === p.name);
    if (!q) continue;
    const path = `/params/${pointerSegment(p.name)}`;
    diffSchema(q.schema, p.schema, path, { label, direction: "input", emit, fallback: [...b.at, "params", p.name] });
    if (q.complete && !p.complete) emit("completion-removed", `${label} variable \`${p.name}\` no longer completes`, [...b.at, "complete"], { path });
    if (!q.complete && p.complete) emit("completion-added", `${label} variable \`${p.name}\` now completes`, [...b.at, "complete"], { path });
  }
  if (a.list && !b.list) emit("template-listing-removed", `${label} no longer lists its resources`, [...b.at, "list"]);
  if (!a.list && b.list) emit("template-listing-added", `${label} now lists its resources`, [...b.at, "list"]);
  compareMimeAndSubscribe(label, a, b, emit);
  compareCommon(label, a, b, emit, scopesMatter);
}

// ------------------------------------------------------------------ prompts

function comparePrompt(a: SurfacePrompt, b: SurfacePrompt, emit: Emit, scopesMatter: boolean): void {
  const label = `prompt \`${b.name}\``;
  for (const arg of b.arguments) {
    const old = a.arguments.find((x) => x.name === arg.name);
    const path = `/arguments/${pointerSegment(arg.name)}`;
    if (!old) {
      if (arg.required) emit("prompt-argument-required-added", `${label} has a new required argument \`${arg.name}\``, arg.at, { path });
      else emit("prompt-argument-added", `${label} has a new optional argument \`${arg.name}\``, arg.at, { path });
      continue;
    }
    if (!old.required && arg.required) emit("prompt-argument-made-required", `${label} argument \`${arg.name}\` is now required`, [...arg.at, "required"], { path });
    if (old.required && !arg.required) emit("prompt-argument-made-optional", `${label} argument \`${arg.name}\` is now optional`, [...arg.at, "required"], { path });
    if (old.title !== arg.title) emit("title-changed", `${label} argument \`${arg.name}\` title ${show(old.title)} -> ${show(arg.title)}`, [...arg.at, "title"], { path });
    if (old.description !== arg.description) emit("description-changed", `${label} argument \`${arg.name}\` description changed`, [...arg.at, "description"], { path });
    if (old.complete && !arg.complete) emit("completion-removed", `${label} argument \`${arg.name}\` no longer completes`, [...arg.at, "complete"], { path });
    if (!old.complete && arg.complete) emit("completion-added", `${label} argument \`${arg.name}\` now completes`, [...arg.at, "complete"], { path });
  }
  for (const old of a.arguments) {
    if (!b.arguments.some((x) => x.name === old.name)) {
      emit("prompt-argument-removed", `${label} no longer takes argument \`${old.name}\``, [...b.at, "arguments"], { path: `/arguments/${pointerSegment(old.name)}` });
    }
  }
  compareCommon(label, a, b, emit, scopesMatter);
}

// ------------------------------------------------------------------ schemas

interface SchemaCtx {
  /** `tool \`x\``: messages read `tool \`x\` /input/properties/y: ...`. */
  label: string;
  direction: Direction;
  emit: Emit;
  /** Where to point when a node has no source of its own. */
  fallback: JsonPath;
}

const LOWER_BOUNDS = ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties", "minContains"];
const UPPER_BOUNDS = ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains"];
/** Asserting keywords where any addition or change restricts and a removal relaxes. */
const RESTRICTIONS = ["pattern", "format"];
const ANNOTATIONS = new Set([
  "examples", "deprecated", "$comment", "readOnly", "writeOnly", "contentEncoding", "contentMediaType",
  "$schema", "$id", "$anchor", "$dynamicAnchor", "$vocabulary", "enumNames",
]);

const showTypes = (t: string[] | undefined) => (t === undefined ? "any" : t.length === 0 ? "nothing" : t.join(" | "));

/**
 * Compares schema `a` (old) with `b` (new) at pointer `ptr`, on the given side. Best effort
 * for composition keywords; recursion is finite because cycles stay `$ref` markers.
 */
function diffSchema(a: SNode, b: SNode, ptr: string, ctx: SchemaCtx): void {
  if (canonical(a) === canonical(b)) return;
  const { direction, emit } = ctx;
  const here = (keyword?: string): JsonPath => {
    const src = sourceOf(b) ?? ctx.fallback;
    return keyword === undefined ? src : [...src, keyword];
  };
  const say = (rule: RuleName, message: string, at: JsonPath, path = ptr, severity?: ChangeSeverity) =>
    emit(rule, `${ctx.label} ${path}: ${message}`, at, { path, direction, severity });

  if (a === false || b === false) {
    if (b === false) say("constraint-tightened", "the schema is now `false`: nothing is accepted", here());
    else say("constraint-loosened", "the schema was `false` and now accepts values", here());
    return;
  }
  const x: Record<string, unknown> = a === true ? {} : a;
  const y: Record<string, unknown> = b === true ? {} : b;

  const cycleA = cycleOf(x);
  const cycleB = cycleOf(y);
  if (cycleA !== undefined || cycleB !== undefined) {
    if (cycleA !== cycleB || canonical(x) !== canonical(y)) say("schema-changed", `recursive reference ${show(cycleA ?? "(none)")} -> ${show(cycleB ?? "(none)")}`, here());
    return;
  }

  const handled = new Set<string>();
  const take = (k: string) => {
    handled.add(k);
    return [x[k], y[k]] as const;
  };

  // type
  handled.add("type");
  const ta = typesOf(x);
  const tb = typesOf(y);
  const sameTypes = typesWithin(ta, tb) && typesWithin(tb, ta) && canonical(ta) === canonical(tb);
  if (!sameTypes) {
    const msg = `type ${showTypes(ta)} -> ${showTypes(tb)}`;
    if (direction === "input") say(typesWithin(ta, tb) ? "input-type-widened" : "input-type-narrowed", msg, here("type"));
    else say(typesWithin(tb, ta) ? "output-type-narrowed" : "output-type-changed", msg, here("type"));
  }

  // enum / const
  handled.add("enum");
  handled.add("const");
  const enumOf = (s: Record<string, unknown>) => (s.const !== undefined ? [s.const] : Array.isArray(s.enum) ? s.enum : undefined);
  const ea = enumOf(x);
  const eb = enumOf(y);
  const enumKey = y.const !== undefined ? "const" : "enum";
  if (ea && eb) {
    const ka = ea.map(canonical);
    const kb = eb.map(canonical);
    ea.forEach((v, i) => !kb.includes(ka[i]!) && say("enum-value-removed", `allowed value ${show(v)} removed`, here(enumKey)));
    eb.forEach((v, i) => !ka.includes(kb[i]!) && say("enum-value-added", `allowed value ${show(v)} added`, here(enumKey)));
  } else if (ea && !eb) {
    say("constraint-loosened", `${x.const !== undefined ? "const" : "enum"} removed (was ${show(x.const ?? x.enum)})`, here());
  } else if (!ea && eb) {
    say("constraint-tightened", `${enumKey} added: ${show(y.const ?? y.enum)}`, here(enumKey));
  }

  // numeric bounds
  for (const k of [...LOWER_BOUNDS, ...UPPER_BOUNDS]) {
    const [va, vb] = take(k);
    if (va === vb || (typeof va !== "number" && typeof vb !== "number")) continue;
    const lower = LOWER_BOUNDS.includes(k);
    if (typeof va !== "number") say("constraint-tightened", `${k} added: ${show(vb)}`, here(k));
    else if (typeof vb !== "number") say("constraint-loosened", `${k} removed (was ${show(va)})`, here());
    else say((lower ? vb > va : vb < va) ? "constraint-tightened" : "constraint-loosened", `${k} ${va} -> ${vb}`, here(k));
  }
  for (const k of RESTRICTIONS) {
    const [va, vb] = take(k);
    if (canonical(va) === canonical(vb)) continue;
    if (va === undefined) say("constraint-tightened", `${k} added: ${show(vb)}`, here(k));
    else if (vb === undefined) say("constraint-loosened", `${k} removed (was ${show(va)})`, here());
    else say("constraint-tightened", `${k} ${show(va)} -> ${show(vb)}`, here(k));
  }
  {
    const [va, vb] = take("multipleOf");
    if (va !== vb && (typeof va === "number" || typeof vb === "number")) {
      if (typeof va !== "number") say("constraint-tightened", `multipleOf added: ${show(vb)}`, here("multipleOf"));
      else if (typeof vb !== "number") say("constraint-loosened", `multipleOf removed (was ${va})`, here());
      else {
        const divides = Math.abs(va / vb - Math.round(va / vb)) < 1e-9;
        say(divides ? "constraint-loosened" : "constraint-tightened", `multipleOf ${va} -> ${vb}`, here("multipleOf"));
      }
    }
  }
  {
    const [va, vb] = take("uniqueItems");
    if ((va === true) !== (vb === true)) say(vb === true ? "constraint-tightened" : "constraint-loosened", `uniqueItems ${show(va)} -> ${show(vb)}`, here("uniqueItems"));
  }

  // documentation
  {
    const [va, vb] = take("title");
    if (va !== vb) say("title-changed", `title ${show(va)} -> ${show(vb)}`, here("title"));
  }
  {
    const [va, vb] = take("description");
    if (va !== vb) say("description-changed", "description changed", here("description"));
  }
  {
    const [va, vb] = take("default");
    if (canonical(va) !== canonical(vb)) say("default-changed", `default ${show(va)} -> ${show(vb)}`, here("default"));
  }

  // objects
  for (const k of ["properties", "required", "additionalProperties", "unevaluatedProperties"]) handled.add(k);
  if (allowsType(ta, "object") && allowsType(tb, "object")) diffObject(x, y, ptr, ctx, here, say);

  // arrays
  handled.add("items");
  handled.add("prefixItems");
  if (allowsType(ta, "array") && allowsType(tb, "array")) diffArray(x, y, ptr, ctx, here, say);

  // alternatives
  for (const k of ["anyOf", "oneOf"]) {
    const [va, vb] = take(k);
    if (canonical(va) === canonical(vb)) continue;
    if (Array.isArray(va) && Array.isArray(vb)) {
      if (va.length === vb.length) {
        va.forEach((s, i) => diffSchema(s as SNode, vb[i] as SNode, `${ptr}/${k}/${i}`, ctx));
      } else {
        const ka = va.map(canonical);
        const kb = vb.map(canonical);
        va.forEach((s, i) => !kb.includes(ka[i]!) && say("variant-removed", `${k} alternative ${show(s)} removed`, here(k), `${ptr}/${k}/${i}`));
        vb.forEach((s, i) => !ka.includes(kb[i]!) && say("variant-added", `${k} alternative ${show(s)} added`, sourceOf(s) ?? here(k), `${ptr}/${k}/${i}`));
      }
    } else {
      say("schema-changed", `${k} ${va === undefined ? "added" : vb === undefined ? "removed" : "changed"}`, here(k));
    }
  }
  {
    const [va, vb] = take("allOf");
    if (canonical(va) !== canonical(vb)) {
      if (Array.isArray(va) && Array.isArray(vb) && va.length === vb.length) {
        va.forEach((s, i) => diffSchema(s as SNode, vb[i] as SNode, `${ptr}/allOf/${i}`, ctx));
      } else say("schema-changed", `allOf ${va === undefined ? "added" : vb === undefined ? "removed" : "changed"}`, here("allOf"));
    }
  }

  // everything else
  const rest = new Set([...Object.keys(x), ...Object.keys(y)].filter((k) => !handled.has(k)));
  for (const k of [...rest].sort()) {
    const va = x[k];
    const vb = y[k];
    if (canonical(va) === canonical(vb)) continue;
    const what = va === undefined ? "added" : vb === undefined ? "removed" : "changed";
    if (ANNOTATIONS.has(k) || k.startsWith("x-")) say("schema-annotation-changed", `${k} ${what}`, here(k));
    else say("schema-changed", `${k} ${what}`, here(k));
  }
}

type Here = (keyword?: string) => JsonPath;
type Say = (rule: RuleName, message: string, at: JsonPath, path?: string, severity?: ChangeSeverity) => void;

function diffObject(x: Record<string, unknown>, y: Record<string, unknown>, ptr: string, ctx: SchemaCtx, here: Here, say: Say): void {
  const input = ctx.direction === "input";
  const pa = isRecord(x.properties) ? x.properties : {};
  const pb = isRecord(y.properties) ? y.properties : {};
  const ra = new Set(Array.isArray(x.required) ? x.required.filter((r): r is string => typeof r === "string") : []);
  const rb = new Set(Array.isArray(y.required) ? y.required.filter((r): r is string => typeof r === "string") : []);
  const closed = y.additionalProperties === false || y.unevaluatedProperties === false;
  const names = new Set([...Object.keys(pa), ...ra, ...Object.keys(pb), ...rb]);
  for (const name of names) {
    const path = `${ptr}/properties/${pointerSegment(name)}`;
    const inA = Object.hasOwn(pa, name) || ra.has(name);
    const inB = Object.hasOwn(pb, name) || rb.has(name);
    const propAt = Object.hasOwn(pb, name) ? sourceOf(pb[name]) ?? here("properties") : here(rb.has(name) ? "required" : "properties");
    if (!inA && inB) {
      if (input) say(rb.has(name) ? "required-input-added" : "optional-input-added", `new ${rb.has(name) ? "required" : "optional"} property`, propAt, path);
      else say("output-property-added", "new property", propAt, path);
      continue;
    }
    if (inA && !inB) {
      if (input) {
        say("input-property-removed", `property removed${closed ? " and the object is closed (additionalProperties: false): clients still sending it are rejected" : ""}`, here("properties"), path, closed ? "breaking" : undefined);
      } else {
        say("output-property-removed", `property removed${ra.has(name) ? "" : " (it was optional)"}`, here("properties"), path, ra.has(name) ? undefined : "dangerous");
      }
      continue;
    }
    if (name in pa && name in pb) diffSchema(pa[name] as SNode, pb[name] as SNode, path, ctx);
    else if (name in pa !== name in pb) {
      // Declared on one side only, required on both: the declaration is the change.
      say("schema-changed", `property ${name in pb ? "now" : "no longer"} declared under properties`, propAt, path);
    }
    if (!ra.has(name) && rb.has(name)) {
      say(input ? "input-made-required" : "output-property-made-required", "property is now required", propAt, path);
    }
    if (ra.has(name) && !rb.has(name)) {
      say(input ? "input-made-optional" : "output-property-made-optional", "property is now optional", propAt, path);
    }
  }

  for (const k of ["additionalProperties", "unevaluatedProperties"]) {
    const va = x[k];
    const vb = y[k];
    if (canonical(va) === canonical(vb)) continue;
    const openness = (v: unknown) => (v === false ? 0 : v === undefined || v === true || (isRecord(v) && Object.keys(v).length === 0) ? 2 : 1);
    const oa = openness(va);
    const ob = openness(vb);
    if (oa === 1 && ob === 1) diffSchema(va as SNode, vb as SNode, `${ptr}/${k}`, ctx);
    else if (oa !== ob) {
      const label = (v: unknown) => (v === undefined ? "(absent: any)" : isRecord(v) && Object.keys(v).length > 0 ? "a schema" : show(v));
      say(ob < oa ? "constraint-tightened" : "constraint-loosened", `${k} ${label(va)} -> ${label(vb)}`, here(k));
    }
  }
}

function diffArray(x: Record<string, unknown>, y: Record<string, unknown>, ptr: string, ctx: SchemaCtx, here: Here, say: Say): void {
  // Draft-07 style tuples (`items: [...]`) are compared like prefixItems.
  const tuple = (s: Record<string, unknown>) => (Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : undefined);
  const each = (s: Record<string, unknown>) => (Array.isArray(s.items) ? undefined : (s.items as SNode | undefined));
  const ta = tuple(x);
  const tb = tuple(y);
  if (canonical(ta) !== canonical(tb)) {
    if (ta && tb && ta.length === tb.length) ta.forEach((s, i) => diffSchema(s as SNode, tb[i] as SNode, `${ptr}/prefixItems/${i}`, ctx));
    else say("schema-changed", `prefixItems ${ta === undefined ? "added" : tb === undefined ? "removed" : `${ta.length} -> ${tb.length} entries`}`, here("prefixItems"));
  }
  const ia = each(x);
  const ib = each(y);
  if (canonical(ia) !== canonical(ib)) diffSchema(ia ?? true, ib ?? true, `${ptr}/items`, { ...ctx, fallback: here("items") });
}
