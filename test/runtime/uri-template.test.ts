import { test, describe } from "node:test";
import assert from "node:assert/strict";
import {
  UriTemplate,
  isUriTemplate,
  MAX_URI_LENGTH,
  type UriTemplateVariables,
} from "../../runtime/src/server/uri-template.js";

// RFC 6570 §3.2 example variables.
const RFC_VARS: UriTemplateVariables = {
  count: ["one", "two", "three"],
  dom: ["example", "com"],
  dub: "me/too",
  hello: "Hello World!",
  half: "50%",
  var: "value",
  who: "fred",
  base: "http://example.com/home/",
  path: "/foo/bar",
  list: ["red", "green", "blue"],
  keys: { semi: ";", dot: ".", comma: "," },
  v: "6",
  x: "1024",
  y: "768",
  empty: "",
  empty_keys: {},
  undef: null,
};

// [template, expected] from RFC 6570 §1.2 (levels 1–4) and §3.2.1–§3.2.9.
const RFC_EXPANSIONS: [string, string][] = [
  // Level 1
  ["{var}", "value"],
  ["{hello}", "Hello%20World%21"],
  // Level 2
  ["{+var}", "value"],
  ["{+hello}", "Hello%20World!"],
  ["{+path}/here", "/foo/bar/here"],
  ["here?ref={+path}", "here?ref=/foo/bar"],
  ["X{#var}", "X#value"],
  ["X{#hello}", "X#Hello%20World!"],
  // Level 3
  ["map?{x,y}", "map?1024,768"],
  ["{x,hello,y}", "1024,Hello%20World%21,768"],
  ["{+x,hello,y}", "1024,Hello%20World!,768"],
  ["{+path,x}/here", "/foo/bar,1024/here"],
  ["{#x,hello,y}", "#1024,Hello%20World!,768"],
  ["{#path,x}/here", "#/foo/bar,1024/here"],
  ["X{.var}", "X.value"],
  ["X{.x,y}", "X.1024.768"],
  ["{/var}", "/value"],
  ["{/var,x}/here", "/value/1024/here"],
  ["{;x,y}", ";x=1024;y=768"],
  ["{;x,y,empty}", ";x=1024;y=768;empty"],
  ["{?x,y}", "?x=1024&y=768"],
  ["{?x,y,empty}", "?x=1024&y=768&empty="],
  ["?fixed=yes{&x}", "?fixed=yes&x=1024"],
  ["{&x,y,empty}", "&x=1024&y=768&empty="],
  // Level 4
  ["{var:3}", "val"],
  ["{var:30}", "value"],
  ["{list}", "red,green,blue"],
  ["{list*}", "red,green,blue"],
  ["{keys}", "semi,%3B,dot,.,comma,%2C"],
  ["{keys*}", "semi=%3B,dot=.,comma=%2C"],
  ["{+path:6}/here", "/foo/b/here"],
  ["{+list}", "red,green,blue"],
  ["{+list*}", "red,green,blue"],
  ["{+keys}", "semi,;,dot,.,comma,,"],
  ["{+keys*}", "semi=;,dot=.,comma=,"],
  ["{#path:6}/here", "#/foo/b/here"],
  ["{#list}", "#red,green,blue"],
  ["{#list*}", "#red,green,blue"],
  ["{#keys}", "#semi,;,dot,.,comma,,"],
  ["{#keys*}", "#semi=;,dot=.,comma=,"],
  ["X{.list}", "X.red,green,blue"],
  ["X{.list*}", "X.red.green.blue"],
  ["X{.keys}", "X.semi,%3B,dot,.,comma,%2C"],
  ["X{.keys*}", "X.semi=%3B.dot=..comma=%2C"],
  ["{/list}", "/red,green,blue"],
  ["{/list*}", "/red/green/blue"],
  ["{/list*,path:4}", "/red/green/blue/%2Ffoo"],
  ["{/keys}", "/semi,%3B,dot,.,comma,%2C"],
  ["{/keys*}", "/semi=%3B/dot=./comma=%2C"],
  ["{;hello:5}", ";hello=Hello"],
  ["{;list}", ";list=red,green,blue"],
  ["{;list*}", ";list=red;list=green;list=blue"],
  ["{;keys}", ";keys=semi,%3B,dot,.,comma,%2C"],
  ["{;keys*}", ";semi=%3B;dot=.;comma=%2C"],
  ["{?var:3}", "?var=val"],
  ["{?list}", "?list=red,green,blue"],
  ["{?list*}", "?list=red&list=green&list=blue"],
  ["{?keys}", "?keys=semi,%3B,dot,.,comma,%2C"],
  ["{?keys*}", "?semi=%3B&dot=.&comma=%2C"],
  ["{&var:3}", "&var=val"],
  ["{&list}", "&list=red,green,blue"],
  ["{&list*}", "&list=red&list=green&list=blue"],
  ["{&keys}", "&keys=semi,%3B,dot,.,comma,%2C"],
  ["{&keys*}", "&semi=%3B&dot=.&comma=%2C"],
  // §3.2.1
  ["{count}", "one,two,three"],
  ["{count*}", "one,two,three"],
  ["{/count}", "/one,two,three"],
  ["{/count*}", "/one/two/three"],
  ["{;count}", ";count=one,two,three"],
  ["{;count*}", ";count=one;count=two;count=three"],
  ["{?count}", "?count=one,two,three"],
  ["{?count*}", "?count=one&count=two&count=three"],
  ["{&count*}", "&count=one&count=two&count=three"],
  // §3.2.2
  ["{half}", "50%25"],
  ["O{empty}X", "OX"],
  ["O{undef}X", "OX"],
  ["?{x,empty}", "?1024,"],
  ["?{x,undef}", "?1024"],
  ["?{undef,y}", "?768"],
  // §3.2.3
  ["{+half}", "50%25"],
  ["{base}index", "http%3A%2F%2Fexample.com%2Fhome%2Findex"],
  ["{+base}index", "http://example.com/home/index"],
  ["O{+empty}X", "OX"],
  ["O{+undef}X", "OX"],
  ["up{+path}{var}/here", "up/foo/barvalue/here"],
  // §3.2.4
  ["{#half}", "#50%25"],
  ["foo{#empty}", "foo#"],
  ["foo{#undef}", "foo"],
  // §3.2.5
  ["{.who}", ".fred"],
  ["{.who,who}", ".fred.fred"],
  ["{.half,who}", ".50%25.fred"],
  ["www{.dom*}", "www.example.com"],
  ["X{.empty}", "X."],
  ["X{.undef}", "X"],
  ["X{.var:3}", "X.val"],
  ["X{.empty_keys}", "X"],
  ["X{.empty_keys*}", "X"],
  // §3.2.6
  ["{/who}", "/fred"],
  ["{/who,who}", "/fred/fred"],
  ["{/half,who}", "/50%25/fred"],
  ["{/who,dub}", "/fred/me%2Ftoo"],
  ["{/var,empty}", "/value/"],
  ["{/var,undef}", "/value"],
  ["{/var:1,var}", "/v/value"],
  // §3.2.7
  ["{;who}", ";who=fred"],
  ["{;half}", ";half=50%25"],
  ["{;empty}", ";empty"],
  ["{;v,empty,who}", ";v=6;empty;who=fred"],
  ["{;v,bar,who}", ";v=6;who=fred"],
  ["{;x,y,undef}", ";x=1024;y=768"],
  // §3.2.8
  ["{?who}", "?who=fred"],
  ["{?half}", "?half=50%25"],
  ["{?x,y,undef}", "?x=1024&y=768"],
  // §3.2.9
  ["{&who}", "&who=fred"],
  ["{&half}", "&half=50%25"],
];

describe("UriTemplate.expand: RFC 6570 examples", () => {
  for (const [template, expected] of RFC_EXPANSIONS) {
    test(template, () => assert.equal(new UriTemplate(template).expand(RFC_VARS), expected));
  }
});

describe("UriTemplate.expand: encoding", () => {
  test("UTF-8 percent-encoding, unreserved kept, reserved only for + and #", () => {
    const t = new UriTemplate("{a};{+a};{#a}");
    assert.equal(t.expand({ a: "é/ü 😀~-._" }), "%C3%A9%2F%C3%BC%20%F0%9F%98%80~-._;%C3%A9/%C3%BC%20%F0%9F%98%80~-._;#%C3%A9/%C3%BC%20%F0%9F%98%80~-._");
  });
  test("existing pct-triplets survive + and # but not simple expansion", () => {
    assert.equal(new UriTemplate("{+a}").expand({ a: "a%2Fb%zz" }), "a%2Fb%25zz");
    assert.equal(new UriTemplate("{a}").expand({ a: "a%2Fb" }), "a%252Fb");
  });
  test("a lone surrogate becomes U+FFFD instead of throwing", () => {
    assert.equal(new UriTemplate("{a}").expand({ a: "x\ud800y" }), "x%EF%BF%BDy");
  });
  test("prefix counts code points, not UTF-16 units", () => {
    assert.equal(new UriTemplate("{a:2}").expand({ a: "😀😀😀" }), "%F0%9F%98%80%F0%9F%98%80");
  });
  test("numbers and booleans expand as strings; literals outside the URI set are encoded", () => {
    assert.equal(new UriTemplate("a b/{n}/{t}").expand({ n: 42, t: true }), "a%20b/42/true");
  });
});

describe("UriTemplate: parsing", () => {
  test("variableNames are unique and in order of appearance", () => {
    const t = new UriTemplate("x://{b}/{a,b}{?c,a}{&d*}{/e:3}");
    assert.deepEqual(t.variableNames, ["b", "a", "c", "d", "e"]);
    assert.equal(t.template, "x://{b}/{a,b}{?c,a}{&d*}{/e:3}");
  });
  test("dotted and pct-encoded variable names are allowed", () => {
    assert.deepEqual(new UriTemplate("{a.b}{%41c}").variableNames, ["a.b", "%41c"]);
  });
  for (const bad of [
    "users://{user_id",
    "{",
    "a}b",
    "}",
    "{}",
    "{a{b}}",
    "{=x}",
    "{!x}",
    "{|x}",
    "{a-b}",
    "{a b}",
    "{a,}",
    "{,a}",
    "{?}",
    "{a:0}",
    "{a:10000}",
    "{a:}",
    "{a**}",
    "{.a.}",
    "{a..b}",
    "{%zz}",
  ]) {
    test(`throws on malformed ${JSON.stringify(bad)}`, () => {
      assert.throws(() => new UriTemplate(bad), (e: Error) => e instanceof Error && /Invalid URI template/.test(e.message));
    });
  }
  test("isUriTemplate", () => {
    assert.equal(isUriTemplate("users://{user_id}/profile"), true);
    assert.equal(isUriTemplate("file:///{+path}"), true);
    assert.equal(isUriTemplate("file:///etc/hosts"), false);
    assert.equal(isUriTemplate("weird://{}"), false);
  });
});

describe("UriTemplate.match: MCP resource templates", () => {
  const cases: [string, string, Record<string, string | string[]> | undefined][] = [
    ["users://{user_id}/profile", "users://123/profile", { user_id: "123" }],
    ["users://{user_id}/profile", "users://a%20b/profile", { user_id: "a b" }],
    ["users://{user_id}/profile", "users://a%2Fb/profile", { user_id: "a/b" }],
    ["users://{user_id}/profile", "users://a/b/profile", undefined],
    ["users://{user_id}/profile", "users://123/profile/", undefined],
    ["users://{user_id}/profile", "users://123/settings", undefined],
    ["users://{user_id}/profile", "user://123/profile", undefined],
    ["users://{user_id}/profile", "users://123/profile?x=1", undefined],
    ["github://repos/{owner}/{repo}", "github://repos/modelcontextprotocol/typescript-sdk", { owner: "modelcontextprotocol", repo: "typescript-sdk" }],
    ["github://repos/{owner}/{repo}", "github://repos/only-owner", undefined],
    ["github://repos/{owner}/{repo}", "github://repos/a/b/c", undefined],
    ["file:///{+path}", "file:///home/me/notes.md", { path: "home/me/notes.md" }],
    ["file:///{+path}", "file:///C:/dir%20name/x.txt", { path: "C:/dir name/x.txt" }],
    ["file:///{+path}", "file://host/x", undefined],
    ["search://q{?query,limit}", "search://q?query=mcp&limit=10", { query: "mcp", limit: "10" }],
    ["search://q{?query,limit}", "search://q?limit=10&query=hello%20world", { query: "hello world", limit: "10" }],
    ["search://q{?query,limit}", "search://q?query=mcp", { query: "mcp" }],
    ["search://q{?query,limit}", "search://q", {}],
    ["search://q{?query,limit}", "search://q?query=a&utm=x", { query: "a" }],
    ["search://q{?query,limit}", "search://x?query=a", undefined],
    ["test://template/{id}/data", "test://template/42/data", { id: "42" }],
    ["test://template/{id}/data", "test://template/42/data/more", undefined],
    ["test://template/{id}/data", "test://template//data", { id: "" }],
  ];
  for (const [template, uri, expected] of cases) {
    test(`${template} ← ${uri}`, () => assert.deepEqual(plain(new UriTemplate(template).match(uri)), expected));
  }
});

describe("UriTemplate.match: operators", () => {
  const cases: [string, string, Record<string, string | string[]> | undefined][] = [
    ["x://{a,b}", "x://1,2", { a: "1", b: "2" }],
    ["x://{a,b}", "x://1", { a: "1" }],
    ["x://{list}", "x://red,green", { list: "red,green" }],
    ["x://{list*}", "x://red,green", { list: ["red", "green"] }],
    ["x://{a,rest*}", "x://1,2,3", { a: "1", rest: ["2", "3"] }],
    ["x://{a,b}", "x://1,2,3", { a: "1", b: "2,3" }],
    ["x://{+a,b}", "x://a/b,2", { a: "a/b", b: "2" }],
    ["x://p{#frag}", "x://p#sec/1", { frag: "sec/1" }],
    ["x://p{#frag}", "x://p", {}],
    ["x://www{.dom*}", "x://www.example.com", { dom: ["example", "com"] }],
    ["x://f{.ext}", "x://f.tar.gz", { ext: "tar.gz" }],
    ["x://{name}{.ext}", "x://archive.tar.gz", { name: "archive", ext: "tar.gz" }],
    ["x://{name}.json", "x://a.b.json", { name: "a.b" }],
    ["x://{a}-{b}", "x://my-org-repo", { a: "my", b: "org-repo" }],
    ["x://{.a}.{b}", "x://.foo.bar", { a: "foo", b: "bar" }],
    ["x:/{/a}/{b}", "x://p/q", { a: "p", b: "q" }],
    ["x:/{/list*}", "x://a/b/c", { list: ["a", "b", "c"] }],
    ["x:/{/a,b}/edit", "x://1/2/edit", { a: "1", b: "2" }],
    ["x://{+path}/edit", "x://a/b/edit", { path: "a/b" }],
    ["x://{+path}/edit{?v}", "x://a/b/edit?v=2", { path: "a/b", v: "2" }],
    ["x://{+path}{?v}", "x://a/b?v=2", { path: "a/b", v: "2" }],
    ["x://r{;x,y}", "x://r;y=2;x=1", { x: "1", y: "2" }],
    ["x://r{;x,empty}", "x://r;x=1;empty", { x: "1", empty: "" }],
    ["x://r{;list*}", "x://r;list=a;list=b", { list: ["a", "b"] }],
    ["x://s{?list*}", "x://s?list=a&list=b%20c", { list: ["a", "b c"] }],
    ["x://s{?list*}", "x://s?list=a", { list: ["a"] }],
    ["x://s?fixed=yes{&x}", "x://s?fixed=yes&x=1", { x: "1" }],
    ["x://s?fixed=yes{&x}", "x://s?fixed=no&x=1", undefined],
    ["x://s{?a}{&b}", "x://s?b=2&a=1", { a: "1", b: "2" }],
    ["x://{id}", "x://bad%zzescape", { id: "bad%zzescape" }],
    ["x://{id}", "x://%F0%9F%98%80", { id: "😀" }],
    ["x://{id}", "x://ünïcödé", { id: "ünïcödé" }],
  ];
  for (const [template, uri, expected] of cases) {
    test(`${template} ← ${uri}`, () => assert.deepEqual(plain(new UriTemplate(template).match(uri)), expected));
  }
});

describe("UriTemplate.match: literal regex metacharacters", () => {
  test(". + ( ) $ ^ [ ] | * in literals match only themselves", () => {
    const t = new UriTemplate("res://a.b+c(d)$^[e]|*/{x}");
    assert.deepEqual(plain(t.match("res://a.b+c(d)$^[e]|*/1")), { x: "1" });
    assert.equal(t.match("res://aXb+c(d)$^[e]|*/1"), undefined);
    assert.equal(t.match("res://a.bbc(d)$^[e]|*/1"), undefined);
    assert.equal(t.match("res://a.b+cd$^[e]|*/1"), undefined);
  });
  test("a literal digit after an expression is not read as a backreference", () => {
    for (let n = 1; n <= 12; n++) {
      const template = Array.from({ length: n }, (_, i) => `{v${i}}-0`).join("/");
      const t = new UriTemplate(template);
      const vars = Object.fromEntries(t.variableNames.map((k, i) => [k, `x${i}`]));
      assert.deepEqual(plain(t.match(t.expand(vars))), vars);
    }
  });
  test("a literal with characters outside the URI set matches raw or encoded", () => {
    const t = new UriTemplate("x://a b/{id}");
    assert.deepEqual(plain(t.match("x://a b/1")), { id: "1" });
    assert.deepEqual(plain(t.match("x://a%20b/1")), { id: "1" });
  });
});

describe("UriTemplate: expand → match round trips", () => {
  const values = ["plain", "with space", "slash/inside", "50%", "ümlaut", "emoji😀", "q?x=1&y", "a,b", "semi;colon", "hash#tag", "dots.and-dashes_~"];
  const templates = [
    "users://{user_id}/profile",
    "github://repos/{owner}/{repo}",
    "test://template/{id}/data",
    "x://a/{v}.json",
    "x://p{/v}/end",
    "x://r{;v}",
    "x://s{?v,w}",
  ];
  for (const template of templates) {
    test(template, () => {
      const t = new UriTemplate(template);
      for (const value of values) {
        const vars = Object.fromEntries(t.variableNames.map((k) => [k, value]));
        assert.deepEqual(plain(t.match(t.expand(vars))), vars, `value ${JSON.stringify(value)} → ${t.expand(vars)}`);
      }
    });
  }
  test("reserved expansion round-trips paths", () => {
    const t = new UriTemplate("file:///{+path}");
    for (const path of ["a", "a/b/c.txt", "dir name/ü.md", "x?y#z"]) {
      assert.deepEqual(plain(t.match(t.expand({ path }))), { path });
    }
  });
  test("exploded lists round-trip as arrays", () => {
    const t = new UriTemplate("x:/{/segments*}{?tag*}");
    const vars = { segments: ["a", "b c", "d"], tag: ["x", "y/z"] };
    assert.deepEqual(plain(t.match(t.expand(vars))), vars);
  });
});

describe("UriTemplate.match: pathological input", () => {
  const within = (ms: number, fn: () => void) => {
    const start = performance.now();
    fn();
    const took = performance.now() - start;
    assert.ok(took < ms, `took ${took.toFixed(1)} ms`);
  };
  test("URIs over MAX_URI_LENGTH never match", () => {
    const t = new UriTemplate("file:///{+path}");
    assert.equal(t.match("file:///" + "a".repeat(MAX_URI_LENGTH)), undefined);
    assert.ok(t.match("file:///" + "a".repeat(MAX_URI_LENGTH - 8)));
  });
  test("ambiguous templates stay linear on adversarial input near the cap", () => {
    const n = MAX_URI_LENGTH - 100;
    const cases: [string, string][] = [
      ["x://{a}-{b}-{c}.json", "x://" + "-".repeat(n) + "!"],
      ["x://{+a}/{+b}.md", "x://" + "a/".repeat(n / 2) + "!"],
      ["x://{+a}/{b}/{c}/end", "x://" + "/".repeat(n)],
      ["x://{a}{b}{c}", "x://" + "a".repeat(n) + "/"],
      ["x://{+a}{?q}", "x://" + "?".repeat(n) + "#"],
      ["x:/{/a*}/{b}/x", "x://" + "/a".repeat(n / 2)],
      ["x://{.a}.{.b}.{c}", "x://" + ".".repeat(n) + "/"],
      ["x://r{;a,b}x", "x://r" + ";a=".repeat(n / 3) + "/"],
      ["x://{+a}/{+b}/{+c}x", "x://" + "/".repeat(n)],
    ];
    for (const [template, uri] of cases) {
      const t = new UriTemplate(template);
      within(500, () => t.match(uri));
    }
  });
});

/** match() returns a null-prototype object; compare it as a plain one. */
function plain<T extends object | undefined>(v: T): T {
  return v === undefined ? v : ({ ...v } as T);
}
