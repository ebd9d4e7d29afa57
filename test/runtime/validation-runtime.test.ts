import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import standalone from "ajv/dist/standalone/index.js";
import { _ } from "ajv/dist/compile/codegen/index.js";
import addFormats from "ajv-formats";
import {
  ucs2length,
  equal,
  ValidationError,
  formats,
  formatNames,
} from "../../runtime/src/server/validation-runtime.js";
import { rewriteStandaloneImports } from "../../generator/src/emit/standalone-rewrite.js";

// The generated module imports the runtime by file URL; tsx (loaded for the whole
// test process) compiles the .ts source on the fly.
const RUNTIME_URL = pathToFileURL(
  fileURLToPath(new URL("../../runtime/src/server/validation-runtime.ts", import.meta.url)),
).href;

const tmp = mkdtempSync(join(tmpdir(), "mcpgen-validation-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

type Validate = ((data: unknown) => boolean | Promise<unknown>) & { errors?: unknown[] | null };

/** The generator's path: ajv standalone code with our formats, rewritten to import the runtime. */
function standaloneSource(schemas: Record<string, object>, esm = true): string {
  const ajv = new Ajv2020.default({ code: { source: true, esm, formats: _`formats` }, allErrors: true, strict: false });
  for (const name of formatNames) ajv.addFormat(name, formats[name]!);
  const refs: Record<string, string> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    ajv.addSchema(schema, name);
    refs[name] = name;
  }
  return standalone.default(ajv, refs);
}

let counter = 0;
async function compileStandalone(schemas: Record<string, object>): Promise<Record<string, Validate>> {
  const code = rewriteStandaloneImports(standaloneSource(schemas), RUNTIME_URL);
  const file = join(tmp, `validators-${counter++}.mjs`);
  writeFileSync(file, code);
  return (await import(pathToFileURL(file).href)) as Record<string, Validate>;
}

/** Ajv itself with ajv-formats (full mode): the behaviour to reproduce. */
const reference = new Ajv2020.default({ allErrors: true, strict: false });
addFormats.default(reference);

// Valid and invalid samples for every format ajv-formats also implements.
const SAMPLES: Record<string, unknown[]> = {
  date: ["2020-02-29", "2000-02-29", "1900-02-28", "2021-12-31", "1900-02-29", "2021-02-29", "2021-04-31", "2021-13-01", "2021-00-10", "2021-01-00", "2021-01-32", "2021-1-01", "20210101", "2021-01-01T00:00:00Z", "", "abcd-ef-gh", "٢٠٢١-٠١-٠١"],
  time: ["12:34:56Z", "12:34:56.789+01:00", "12:34:56z", "12:34:56+0100", "12:34:56+01", "23:59:60Z", "15:59:60-08:00", "00:29:60+00:30", "00:59:60+01:00", "12:34:56", "24:00:00Z", "12:60:00Z", "12:00:60Z", "23:59:61Z", "12:34:56+24:00", "12:34:56+01:60", "1:2:3Z", "12:34Z", "12:34:56.Z", "12:34:56 Z"],
  "date-time": ["2020-01-01T12:00:00Z", "2020-01-01t12:00:00z", "2020-01-01 12:00:00Z", "2016-12-31T23:59:60Z", "2020-01-01T12:00:00+05:30", "2020-02-30T12:00:00Z", "2020-01-01T12:00:00", "2020-01-01TT12:00:00Z", "2020-01-01", "2020-01-01T25:00:00Z", "2020-01-01T12:00:00.123456789Z"],
  "iso-time": ["12:34:56", "12:34:56Z", "12:34:56.5+01:00", "25:00:00", "12:34"],
  "iso-date-time": ["2020-01-01T12:00:00", "2020-01-01 12:00:00+01:00", "2020-01-01T12:00", "2020-13-01T12:00:00"],
  duration: ["P1Y", "P1Y2M3DT4H5M6S", "PT1H", "P1W", "P1D", "PT0S", "P0W", "P", "PT", "P1DT", "P1Y2W", "1Y", "P1.5Y", "PT1H2", "p1y", "P1M1Y", "P1W1D"],
  uri: ["http://example.com", "https://user:pw@example.com:8080/path/to?q=1&r=2#frag", "urn:isbn:0451450523", "mailto:a@b.c", "file:///etc/hosts", "http://[::1]:80/", "http://[v1.fe]/", "http://[::ffff:1.2.3.4]/", "http://192.168.0.1/", "http://example.com/a%20b", "ftp://ftp.is.co.za/rfc/rfc1808.txt", "tel:+1-816-555-1212", "a:b:c", "HTTP://EXAMPLE.COM/%7Efoo", "//example.com/relative", "/abs/path", "rel/path", "", "#frag", "http://exa mple.com", "http://example.com/%zz", "1http://x", "http://[::1", "http://[1::2::3]/", "http://ex^ample.com", "http://ü.com", "http://example.com/a\\b", "http://example.com/<>"],
  "uri-reference": ["", "#", "#frag", "?q", "/abs", "rel", "//host", "http://x/y", "../a/b", "./a:b", "a:b:c", "http://[::1]/", "urn:x", "a b", "%zz", "\\\\server", "http://x/#a#b", "#a b"],
  "uri-template": ["http://example.com/{id}", "{+path}/here", "{?q,r*}", "{var:3}", "/{a}{/b*}", "x{.y}", "{=x}", "{%41}", "%2F", "plain", "", "{", "}", "{a b}", "{}", "{a:0}", "{a:10000}", "a b", "%zz", "{a,}", "{a-b}", "ü/{x}"],
  url: ["http://example.com", "https://www.example.com/foo/?bar=baz&inga=42&quux", "http://userid:password@example.com:8080/", "http://a.b-c.de", "http://223.255.255.254", "http://1.1.1.1/x", "ftp://foo.bar/baz", "http://✪df.ws/123", "http://例子.测试", "HTTP://EXAMPLE.COM", "http://a/b@example.com", "http://example.com/a@b", "http://a@b@example.com", "http://172.32.0.1", "http://10.1.1.1", "http://127.0.0.1", "http://192.168.1.1", "http://172.16.0.1", "http://169.254.1.1", "http://224.1.1.1", "http://1.1.1.255", "http://0.1.1.1", "http://localhost", "http://example", "http://example.com:8", "http://example.com:80", "http://example.com:123456", "http://example.com?x=1", "http://@example.com", "mailto:x@y.com", "http://exa mple.com", "http://-a.com", "http://a-.com", "http://a--b.com", "http://example.c", "http://example.123", "http://example.com/ path", "http://", "http:///a"],
  email: ["a@b.co", "first.last@sub.example.com", "x+tag@example.org", "a!#$%&'*+/=?^_`{|}~-@example.com", "a@ex--ample.com", "a@b", "a@@b.com", ".a@b.com", "a.@b.com", "a..b@c.com", "a@-b.com", "a@b-.com", "a@b.c-", "a b@c.com", "ü@example.com", "@example.com", "a@", "a@.com", "a@b..com"],
  hostname: ["example.com", "example.com.", "a", "a-b.c", "xn--nxasmq6b.com", "1.2.3.4", "A.COM", `${"a".repeat(63)}.com`, `${"a".repeat(64)}.com`, Array(4).fill("a".repeat(62)).join(".") + ".a", Array(4).fill("a".repeat(63)).join("."), "-a.com", "a-.com", "a..b", ".", "", "ex_ample.com", "ü.com", "a.b-", "a b"],
  ipv4: ["0.0.0.0", "255.255.255.255", "192.168.1.1", "256.1.1.1", "01.1.1.1", "1.1.1", "1.1.1.1.1", "1.1.1.1 ", "a.b.c.d", "1..1.1", "", "١.١.١.١"],
  ipv6: ["::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1::8", "ABCD:EF01::", "::ffff:192.168.1.1", "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4", "fe80::1%eth0", "1:2:3:4:5:6:7:1.2.3.4", "1::2::3", ":::", "1:2:3:4:5:6:7:8:9", "12345::", "g::", "::ffff:256.1.1.1", "::1.2.3", "1:2:3:4:5:6:7", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "1.2.3.4", "1::2:3:4:5:6:7:8", "", ":"],
  regex: ["^a+$", "[a-z]", "(?<n>x)\\k<n>", "\\p{L}", "", "(", "[", "a{2,1}", "a\\Z"],
  uuid: ["123e4567-e89b-12d3-a456-426614174000", "urn:uuid:123e4567-e89b-12d3-a456-426614174000", "URN:UUID:123E4567-E89B-12D3-A456-426614174000", "123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456-42661417400", "g23e4567-e89b-12d3-a456-426614174000", "{123e4567-e89b-12d3-a456-426614174000}"],
  "json-pointer": ["", "/", "/a/b", "/a~0b~1c", "//", "/a b", "/ü", "/a~2", "a", "/~", "#/a"],
  "json-pointer-uri-fragment": ["#", "#/", "#/a/b", "#/a%20b", "#/a~0", "#/a b", "#a", "", "/a", "#/a%zz", "#/~2", "#/ü"],
  "relative-json-pointer": ["0", "1/a", "0#", "10/a~0", "1#/", "01", "-1", "a", "", "0/a~2", "0##"],
  byte: ["", "QUJD", "QUI=", "QQ==", "QUJDRA==", "a+/9", "Q", "QUJ", "QQ=", "Q===", "QU=D", "!!!!", "QUJD ", "QQ==QQ=="],
  int32: [0, 2147483647, -2147483648, 2147483648, -2147483649, 1.5, "not a number"],
  int64: [0, 2 ** 53, -10, 1.5, "x"],
  float: [1.5, 0, -1e300],
  double: [1.5, 0, -1e300],
  password: ["anything", ""],
  binary: ["\u0000\u00ff", ""],
};

// Where we deliberately differ from ajv-formats (see validation-runtime.ts): [format, value, our result].
const DIVERGENCES: [string, unknown, boolean][] = [
  // `format: regex` values must compile with the `u` flag, as ajv compiles `pattern`.
  ["regex", "\\a", false],
  ["regex", "{", false],
  ["regex", "a]", false],
  ["regex", "\\Z", false],
  // The whole string must be base64, not just one of its lines.
  ["byte", "QUJD\n!!!!", false],
  ["byte", "!!!\n", false],
  // RFC 3986: no `"`, and a relative reference cannot start with a segment containing ':'.
  ["uri-reference", 'a"b', false],
  ["uri-reference", ":a", false],
  ["uri-reference", "1a:b", false],
  // RFC 3986 allows an empty path after the scheme (ajv-formats' uri-reference does too).
  ["uri", "a:", true],
  // ajv-formats lets "scheme:/" + "/x" be an empty authority and a path, so it
  // never really checks an authority; RFC 3986 sees a bad port / user info here.
  ["uri", "http://example.com:80a/", false],
  ["uri", "http://a@b@c.com", false],
  // RFC 6570 allows dotted variable names.
  ["uri-template", "{a.b}", true],
  // Leap seconds need a real clock time.
  ["time", "46:59:60+23:00", false],
];

describe("formats match ajv + ajv-formats (full mode)", async () => {
  const names = Object.keys(SAMPLES);
  const schemas = Object.fromEntries(names.map((f, i) => [`f${i}`, { format: f }]));
  const compiled = await compileStandalone(schemas);
  names.forEach((format, i) => {
    test(format, () => {
      const ours = compiled[`f${i}`]!;
      const theirs = reference.compile({ format });
      for (const value of SAMPLES[format]!) {
        assert.equal(ours(value), theirs(value), `${format}: ${JSON.stringify(value)}`);
        // The raw format function agrees with the compiled validator.
        const def = formats[format]!;
        if (typeof def === "function" && typeof value === "string") assert.equal(def(value), ours(value));
      }
    });
  });
  test("documented divergences", () => {
    for (const [format, value, expected] of DIVERGENCES) {
      const ours = compiled[`f${names.indexOf(format)}`]!;
      assert.equal(ours(value), expected, `${format}: ${JSON.stringify(value)}`);
      assert.notEqual(reference.compile({ format })(value), expected, `ajv-formats now agrees on ${format} ${JSON.stringify(value)}`);
    }
  });
  test("every ajv-formats format is provided", () => {
    for (const f of Object.keys(reference.formats)) assert.ok(formatNames.includes(f), f);
    for (const f of formatNames) assert.ok(f in formats);
  });
});

describe("formats without an ajv-formats counterpart", () => {
  const cases: [string, string, boolean][] = [
    ["iri", "http://ü.example/ä?ö#ß", true],
    ["iri", "http://example.com/😀", true],
    ["iri", "urn:x:ü", true],
    ["iri", "ü/ö", false],
    ["iri", "http://a b", false],
    ["iri", "ü:x", false],
    ["iri-reference", "ü/ö", true],
    ["iri-reference", "", true],
    ["iri-reference", "http://x/ä", true],
    ["iri-reference", "a b", false],
    ["iri-reference", "%zz", false],
    ["idn-email", "ü@exämple.com", true],
    ["idn-email", "a@b.co", true],
    ["idn-email", "a b@c.com", false],
    ["idn-email", "a@b", false],
    ["idn-hostname", "ü.com", true],
    ["idn-hostname", "例子.测试", true],
    ["idn-hostname", "-a.com", false],
    ["idn-hostname", "a..b", false],
  ];
  for (const [format, value, expected] of cases) {
    test(`${format} ${JSON.stringify(value)}`, () => assert.equal((formats[format] as (s: string) => boolean)(value), expected));
  }
});

describe("formats stay fast on adversarial input", () => {
  const n = 50_000;
  const inputs = [
    "a".repeat(n) + "!",
    "a@" + "a".repeat(n) + "!",
    "a@" + "a-".repeat(n / 2) + "!",
    "http://" + "@".repeat(n),
    "http://" + "a@/".repeat(n / 3) + " ",
    "http://" + "a.".repeat(n / 2) + "1",
    "P" + "1".repeat(n) + "X",
    "{" + "a.".repeat(n / 2) + "}",
    ":".repeat(n),
    "1:".repeat(n / 2),
    "/" + "~0".repeat(n / 2) + "~",
    "#" + "%2".repeat(n / 2),
    "a:" + "%".repeat(n),
    "//" + "[".repeat(n),
    "A".repeat(n) + "=",
    "0".repeat(n) + ":00:00Z",
  ];
  for (const name of formatNames) {
    const def = formats[name];
    if (typeof def !== "function") continue;
    test(name, () => {
      const start = performance.now();
      for (const s of inputs) def(s);
      const took = performance.now() - start;
      assert.ok(took < 250, `${name} took ${took.toFixed(1)} ms`);
    });
  }
});

describe("keywords that use the runtime helpers", async () => {
  const v = await compileStandalone({
    len: { type: "string", minLength: 2, maxLength: 3 },
    cst: { const: { a: [1, { b: 2 }], c: null } },
    enm: { enum: [{ x: 1 }, [1, 2], "s", null] },
    uniq: { type: "array", uniqueItems: true },
    asy: { $async: true, type: "object", required: ["id"] },
  });
  test("minLength/maxLength count code points", () => {
    for (const s of ["😀", "😀😀", "😀😀😀", "😀😀😀😀", "ab", "a😀", "\ud800", "\ud800\ud800", "é\u0301"]) {
      assert.equal(v.len!(s), reference.compile({ type: "string", minLength: 2, maxLength: 3 })(s), JSON.stringify(s));
    }
  });
  test("const with objects", () => {
    assert.equal(v.cst!({ c: null, a: [1, { b: 2 }] }), true);
    assert.equal(v.cst!({ a: [1, { b: 3 }], c: null }), false);
    assert.equal(v.cst!({ a: [1, { b: 2 }] }), false);
    assert.equal(v.cst!({ a: [1, { b: 2 }], c: null, d: 1 }), false);
  });
  test("enum with objects and arrays", () => {
    for (const [value, ok] of [[{ x: 1 }, true], [[1, 2], true], ["s", true], [null, true], [{ x: 2 }, false], [[2, 1], false], [{}, false]] as const) {
      assert.equal(v.enm!(value), ok, JSON.stringify(value));
    }
  });
  test("uniqueItems with objects", () => {
    for (const [value, ok] of [
      [[{ a: 1 }, { a: 1 }], false],
      [[{ a: 1, b: 2 }, { b: 2, a: 1 }], false],
      [[{ a: 1 }, { a: 2 }], true],
      [[[1], [1]], false],
      [[1, "1"], true],
      [[1, 1.0], false],
      [[null, {}], true],
    ] as const) {
      assert.equal(v.uniq!(value), ok, JSON.stringify(value));
    }
  });
  test("$async schemas reject with the runtime's ValidationError", async () => {
    assert.deepEqual(await v.asy!({ id: 1 }), { id: 1 });
    await assert.rejects(v.asy!({}) as Promise<unknown>, (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.equal(e.ajv, true);
      assert.equal(e.validation, true);
      assert.equal(e.message, "validation failed");
      assert.equal((e.errors[0] as { keyword: string }).keyword, "required");
      return true;
    });
  });
});

describe("runtime helpers", () => {
  test("ucs2length", () => {
    assert.equal(ucs2length(""), 0);
    assert.equal(ucs2length("abc"), 3);
    assert.equal(ucs2length("😀"), 1);
    assert.equal(ucs2length("a😀b"), 3);
    assert.equal(ucs2length("\ud83d"), 1); // lone high surrogate
    assert.equal(ucs2length("\ude00\ud83d"), 2); // reversed pair
  });
  test("equal follows fast-deep-equal", () => {
    assert.equal(equal(NaN, NaN), true);
    assert.equal(equal(0, -0), true);
    assert.equal(equal({ a: [1, { b: "c" }] }, { a: [1, { b: "c" }] }), true);
    assert.equal(equal({ a: undefined }, { b: undefined }), false);
    assert.equal(equal([1, 2], { 0: 1, 1: 2 }), false);
    assert.equal(equal(new Date(5), new Date(5)), true);
    assert.equal(equal(/a/g, /a/i), false);
    assert.equal(equal(Object.create(null), {}), false);
    assert.equal(equal(null, {}), false);
    assert.equal(equal("1", 1), false);
  });
  test("ValidationError", () => {
    const e = new ValidationError([{ keyword: "type" }]);
    assert.ok(e instanceof Error);
    assert.deepEqual(e.errors, [{ keyword: "type" }]);
    assert.equal(e.ajv && e.validation, true);
  });
});

describe("rewriteStandaloneImports", () => {
  test("turns ajv's requires into named imports and imports formats", () => {
    const src = standaloneSource({
      s: { type: "object", properties: { a: { type: "string", minLength: 1, format: "date" }, b: { const: [1] } } },
      t: { $async: true, type: "string" },
    });
    assert.match(src, /require\("ajv\/dist\/runtime\/ucs2length"\)\.default/);
    const out = rewriteStandaloneImports(src, "@mcpgen/runtime/validation");
    assert.ok(out.startsWith('import { ValidationError, equal, formats, ucs2length } from "@mcpgen/runtime/validation";\n'), out.slice(0, 120));
    assert.doesNotMatch(out, /require/);
  });
  test("imports nothing when nothing is needed", () => {
    const src = standaloneSource({ s: { type: "integer", minimum: 2 } });
    assert.equal(rewriteStandaloneImports(src, "x"), src);
  });
  test("leaves look-alikes in strings, regex literals and property names alone", () => {
    const code = [
      '"use strict";export const v = validate0;',
      'const schema0 = {"description":"require(\\"ajv/dist/runtime/uri\\").default formats require(\'fs\')"};',
      "const re = /\"require(x)'[/]formats/u;",
      "function validate0(data){return data.require !== data.formats && data / 2 / 1 > 0;}",
    ].join("\n");
    assert.equal(rewriteStandaloneImports(code, "m"), code);
  });
  test("a description mentioning require survives a real compile", async () => {
    const v = await compileStandalone({
      d: { type: "string", description: 'Use require("fs") and formats["x"]', enum: ['require("ajv/dist/runtime/uri").default'] },
    });
    assert.equal(v.d!('require("ajv/dist/runtime/uri").default'), true);
    assert.equal(v.d!("x"), false);
  });
  test("throws on requires it does not know", () => {
    const wrap = (r: string) => `"use strict";export const v = validate0;const func0 = ${r};function validate0(data){return true;}`;
    assert.throws(() => rewriteStandaloneImports(wrap('require("fs")'), "m"), /require\("fs"\): unknown module/);
    assert.throws(() => rewriteStandaloneImports(wrap('require("ajv/dist/runtime/uri").default'), "m"), /compile time/);
    assert.throws(() => rewriteStandaloneImports(wrap('require("ajv/dist/runtime/re2").default'), "m"), /re2/);
    assert.throws(() => rewriteStandaloneImports(wrap('require("ajv/dist/runtime/equal").other'), "m"), /cannot replace/);
    assert.throws(() => rewriteStandaloneImports(wrap('require("ajv/dist/runtime/equal")'), "m"), /cannot replace/);
    assert.throws(() => rewriteStandaloneImports(wrap("require(name)"), "m"), /unsupported require/);
    assert.throws(() => rewriteStandaloneImports(wrap('require("ajv-formats/dist/formats").fullFormats.date'), "m"), /ajv-formats/);
  });
  test("throws on ajv-formats' own code reference", () => {
    const ajv = new Ajv2020.default({ code: { source: true, esm: true }, strict: false });
    addFormats.default(ajv);
    ajv.addSchema({ format: "date" }, "v");
    assert.throws(() => rewriteStandaloneImports(standalone.default(ajv, { v: "v" }), "m"), /ajv-formats/);
  });
  test("throws on CommonJS output", () => {
    assert.throws(() => rewriteStandaloneImports(standaloneSource({ s: { type: "string" } }, false), "m"), /ES module/);
  });
  test("throws when an imported name would clash", () => {
    const code = '"use strict";export const v = validate0;const equal = 1;const func0 = require("ajv/dist/runtime/equal").default;function validate0(data){return func0(data, equal);}';
    assert.throws(() => rewriteStandaloneImports(code, "m"), /already uses the identifier "equal"/);
  });
});
