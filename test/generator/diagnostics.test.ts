/**
 * The front end (load -> validate) and its diagnostics, mostly golden-tested: each folder under
 * test/fixtures/diagnostics holds an mcp.yaml and the exact text output it must produce.
 * Rewrite the goldens with `UPDATE_GOLDENS=1 node --import tsx --test test/generator/diagnostics.test.ts`.
 */
import { toSafeString } from 'json-schema-to-typescript/dist/src/utils.js';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import {
  codeFrame,
  renderGithub,
  renderJson,
  renderText,
  sortDiagnostics,
  summarize,
  type Diagnostic,
} from '../../generator/src/diagnostics/index.js';
import { readManifest } from '../../generator/src/frontend.js';
import { formatPath, loadManifest } from '../../generator/src/load/index.js';
import {
  completionExportName,
  derivedTypeName,
  elicitFormTypeName,
  RESERVED_WORDS,
  toFileName,
  toIdentifier,
  toTypeName,
} from '../../generator/src/naming/names.js';
import {
  DIAGNOSTIC_CODES,
  didYouMean,
  editDistance,
  parseUriTemplate,
  scanHandlebars,
  templateVariables,
  validateManifest,
} from '../../generator/src/validate/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/diagnostics/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDENS === '1';
/** Cases that also pin the machine formats. */
const MACHINE_FORMAT_CASES = new Set(['many-errors', 'unknown-keys']);

function golden(file: string, actual: string): void {
  if (UPDATE) {
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `missing golden ${file}: run with UPDATE_GOLDENS=1 to create it`);
  assert.equal(actual, readFileSync(file, 'utf8'), `output differs from ${file} (UPDATE_GOLDENS=1 rewrites it)`);
}

function run(caseName: string) {
  const dir = join(FIXTURES, caseName);
  const text = readFileSync(join(dir, 'mcp.yaml'), 'utf8');
  const result = readManifest('mcp.yaml', text, { baseDir: dir });
  return { dir, text, ...result };
}

const codesOf = (diags: Diagnostic[]) => diags.map((d) => d.code);

describe('golden diagnostics', () => {
  const cases = readdirSync(FIXTURES, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const name of cases) {
    test(name, () => {
      const { dir, text, diagnostics } = run(name);
      assert.ok(!codesOf(diagnostics).includes('internal-error'), 'no check may crash');
      golden(join(dir, 'expected.txt'), renderText(diagnostics, new Map([['mcp.yaml', text]]), { color: false }));
      if (MACHINE_FORMAT_CASES.has(name)) {
        golden(join(dir, 'expected.json'), renderJson(diagnostics));
        golden(join(dir, 'expected.github.txt'), renderGithub(diagnostics));
      }
    });
  }
});

describe('front end', () => {
  test('the full example from manifest-v1.md validates with zero diagnostics', () => {
    const { manifest, diagnostics } = run('valid-example');
    assert.deepEqual(diagnostics, []);
    assert.ok(manifest);
    assert.equal(manifest.version, 1);
    assert.equal(manifest.server.name, 'weather');
    assert.deepEqual(Object.keys(manifest.tools ?? {}), ['get_forecast', 'book_table']);
    assert.equal(manifest.resources?.user_profile?.uri, 'users://{user_id}/profile');
    assert.equal(manifest.prompts?.plan_trip?.arguments?.city?.complete, true);
  });

  test('one manifest with many different errors reports them all at once', () => {
    const { manifest, diagnostics } = run('many-errors');
    assert.equal(manifest, undefined);
    const codes = new Set(codesOf(diagnostics));
    for (const code of [
      'wrong-type', 'unknown-key', 'generate-overlap', 'schema-invalid', 'schema-keyword-typo', 'name-collision',
      'ref-unknown-type', 'name-invalid', 'tool-input-not-object', 'elicit-not-flat', 'elicit-required-unknown',
      'resource-content-conflict', 'resource-file-missing', 'resource-uri-duplicate', 'resource-content-templated',
      'resource-param-unknown', 'resource-complete-unknown', 'prompt-placeholder-unknown', 'prompt-content-conflict',
    ]) {
      assert.ok(codes.has(code), `expected a ${code} diagnostic`);
    }
  });

  test('several YAML syntax errors are reported together, each with a position', () => {
    const { diagnostics } = run('yaml-syntax');
    const syntax = diagnostics.filter((d) => d.code === 'yaml-syntax');
    assert.ok(syntax.length >= 4, `got ${syntax.length}`);
    assert.ok(new Set(syntax.map((d) => d.line)).size >= 4);
  });

  test('duplicate keys are errors that name the first definition', () => {
    const { diagnostics } = run('duplicate-keys');
    assert.deepEqual(codesOf(diagnostics), ['yaml-duplicate-key', 'yaml-duplicate-key', 'yaml-duplicate-key']);
    assert.match(diagnostics[0]!.message, /first defined on line 3/);
  });

  test('version 2 is refused with the supported version named', () => {
    const { diagnostics } = run('version-2');
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.code, 'version-unsupported');
    assert.match(diagnostics[0]!.message, /version 1/);
  });

  test('warnings alone still yield the manifest', () => {
    const text = 'version: 1\nserver: { name: a, version: "1" }\ntools:\n  ' + 'x'.repeat(70) + ': {}\n';
    const result = readManifest('mcp.yaml', text);
    assert.deepEqual(codesOf(result.diagnostics), ['name-too-long']);
    assert.ok(result.manifest);
  });

  test('an unknown key points at the key, a wrong value at the value', () => {
    const text = 'version: 1\nserver:\n  name: a\n  version: 2\n  tittle: x\n';
    const { diagnostics } = readManifest('mcp.yaml', text);
    const unknown = diagnostics.find((d) => d.code === 'unknown-key')!;
    assert.deepEqual([unknown.line, unknown.col, unknown.endCol], [5, 3, 9]);
    const wrong = diagnostics.find((d) => d.code === 'wrong-type')!;
    assert.deepEqual([wrong.line, wrong.col], [4, 12]);
  });

  test('every code produced is registered, with the registered severity', () => {
    for (const name of readdirSync(FIXTURES)) {
      if (!existsSync(join(FIXTURES, name, 'mcp.yaml'))) continue;
      for (const d of run(name).diagnostics) {
        const entry = DIAGNOSTIC_CODES[d.code as keyof typeof DIAGNOSTIC_CODES];
        assert.ok(entry, `unregistered code ${d.code}`);
        assert.equal(d.severity, entry.severity, d.code);
      }
    }
  });

  test('resource files are found relative to the manifest folder', () => {
    const dir = join(FIXTURES, 'valid-example');
    const text = 'version: 1\nserver: { name: a, version: "1" }\nresources:\n  r: { uri: "x://r", file: ./mcp.yaml }\n';
    assert.deepEqual(readManifest('elsewhere/mcp.yaml', text, { baseDir: dir }).diagnostics, []);
    assert.deepEqual(codesOf(readManifest('elsewhere/mcp.yaml', text).diagnostics), ['resource-file-missing']);
  });

  test('cyclic and chained type references neither loop nor crash', () => {
    const text = [
      'version: 1',
      'server: { name: a, version: "1" }',
      'types:',
      '  A: { $ref: "#/types/B" }',
      '  B: { $ref: "#/types/A" }',
      '  Node: { type: object, properties: { next: { $ref: "#/types/Node" } } }',
      'tools:',
      '  t: { input: { $ref: "#/types/A" }, elicit: { q: { message: m, schema: { $ref: "#/types/B" } } } }',
      '  u: { input: { $ref: "#/types/Node" } }',
    ].join('\n');
    const { diagnostics } = readManifest('mcp.yaml', text);
    assert.ok(!codesOf(diagnostics).includes('internal-error'));
    assert.ok(codesOf(diagnostics).includes('tool-input-not-object'));
    assert.ok(!diagnostics.some((d) => d.message.includes('tool `u`')));
  });
});

/** A small deterministic PRNG, so the fuzz cases are the same on every run. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('robustness: bad input never throws', () => {
  const example = readFileSync(join(FIXTURES, 'valid-example', 'mcp.yaml'), 'utf8');
  const random = prng(42);
  const junk = Array.from({ length: 512 }, () => String.fromCharCode(Math.floor(random() * 256))).join('');
  const hostile: [string, string][] = [
    ['empty', ''],
    ['whitespace', '   \n\n  '],
    ['comment only', '# nothing here\n'],
    ['scalar number', '42'],
    ['scalar string', '"just a string"'],
    ['null', '~'],
    ['list', '- a\n- b\n'],
    ['flow list', '[1, 2, 3]'],
    ['binary junk', junk],
    ['NUL bytes', 'version: 1\u0000\u0000\nserver: {}'],
    ['BOM', '\uFEFFversion: 1\nserver: { name: a, version: "1" }\n'],
    ['CRLF', 'version: 1\r\nserver:\r\n  name: a\r\n  version: "1"\r\n  bad: 1\r\n'],
    ['tabs', 'version: 1\nserver:\n\tname: a\n\tversion: 1\n'],
    ['only braces', '{'],
    ['only colon', ':'],
    ['two documents', 'version: 1\n---\nversion: 2\n---\n'],
    ['directive', '%YAML 1.1\n---\nversion: 1\n'],
    ['anchors and merge', 'x: &base { title: t }\nversion: 1\nserver: { name: a, version: "1" }\ntools:\n  a: { <<: *base, bogus: 1 }\n  b: *base\n'],
    ['unknown alias', 'version: 1\nserver: *nope\n'],
    ['alias bomb', 'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n'],
    ['deep flow nesting', `version: 1\ntypes:\n  A: ${'['.repeat(5000)}${']'.repeat(5000)}\n`],
    ['deep block nesting', Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')],
    ['deep schema', `version: 1\nserver: { name: a, version: "1" }\ntypes:\n  A: ${'{ items: '.repeat(200)}{}${' }'.repeat(200)}\n`],
    ['collection key', '? [a, b]\n: c\nversion: 1\n'],
    ['custom tags', 'version: !!int 1\nserver: !thing { name: a }\n'],
    ['binary tag', 'version: 1\nserver: { name: !!binary aGVsbG8=, version: "1" }\n'],
    ['proto keys', 'version: 1\n__proto__: { polluted: true }\nserver: { name: a, version: "1", constructor: 1 }\n'],
    ['wrong section types', 'version: 1\nserver: []\ntools: [1, 2]\nresources: 3\nprompts: "x"\ntypes: [a]\nauth: true\nhttp: null\ngenerate: 1\n'],
    ['wrong item types', 'version: 1\nserver: { name: a, version: "1" }\ntools: { a: [1], b: 2, c: { input: 3, output: [], elicit: [1] } }\nresources: { r: { uri: 5, params: [], complete: "x" } }\nprompts: { p: { arguments: [], template: 1, messages: {} } }\n'],
    ['strange uris', 'version: 1\nserver: { name: a, version: "1" }\nresources:\n  a: { uri: "{" }\n  b: { uri: "}}{{" }\n  c: { uri: "x://{,}" }\n  d: { uri: "x://{=a}{a:0}{a:99999}{a*}" }\n  e: { uri: "" }\n'],
    ['strange templates', 'version: 1\nserver: { name: a, version: "1" }\nprompts:\n  p: { template: "{{ {{{ }}} {{/x}} {{#if}} {{> partial}} {{!-- x" }\n  q: { messages: [{ role: user, text: "{{#each}}{{/if}}{{else}}{{^}}{{(x y)}}{{a=b}}" }] }\n'],
    ['long line', `version: 1\nserver: { name: a, version: "${'x'.repeat(100_000)}" }\n`],
    ['unicode', 'version: 1\nserver: { name: "名前 😀", version: "1" }\ntools:\n  "😀": {}\n  "名前": {}\n'],
  ];
  for (let i = 0; i < 60; i++) {
    // Deterministic mutations of a valid manifest: cut a random slice, or swap two lines.
    const lines = example.split('\n');
    let mutated: string;
    if (random() < 0.5) {
      const at = Math.floor(random() * example.length);
      mutated = example.slice(0, at) + example.slice(at + 1 + Math.floor(random() * 40));
    } else {
      const a = Math.floor(random() * lines.length);
      const b = Math.floor(random() * lines.length);
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      mutated = lines.join('\n');
    }
    hostile.push([`mutation ${i}`, mutated]);
  }

  for (const [name, text] of hostile) {
    test(name, () => {
      const first = readManifest('mcp.yaml', text);
      const second = readManifest('mcp.yaml', text);
      assert.ok(Array.isArray(first.diagnostics));
      for (const d of first.diagnostics) {
        assert.ok(d.line >= 1 && d.col >= 1, `bad position in ${JSON.stringify(d)}`);
        assert.ok(d.code in DIAGNOSTIC_CODES, d.code);
        assert.notEqual(d.code, 'internal-error', d.message);
      }
      if (first.manifest === undefined) assert.ok(first.diagnostics.some((d) => d.severity === 'error'));
      const sources = new Map([['mcp.yaml', text]]);
      const rendered = renderText(first.diagnostics, sources, { color: false });
      assert.equal(renderText(second.diagnostics, sources, { color: false }), rendered, 'output must be deterministic');
      renderJson(first.diagnostics);
      renderGithub(first.diagnostics);
    });
  }
});

describe('performance sanity', () => {
  test('a 1,000-tool manifest validates correctly', () => {
    const tools: Record<string, unknown> = {};
    for (let i = 0; i < 1000; i++) {
      tools[`tool_${i}`] = {
        description: `Tool number ${i}`,
        input: { type: 'object', properties: { id: { type: 'string' }, day: { $ref: '#/types/Day' } }, required: ['id'] },
        output: { $ref: '#/types/Day' },
        annotations: { readOnlyHint: true },
      };
    }
    const text = stringify({ version: 1, server: { name: 'big', version: '1.0.0' }, types: { Day: { type: 'object', properties: { date: { type: 'string' } } } }, tools });
    const ok = readManifest('mcp.yaml', text);
    assert.deepEqual(ok.diagnostics, []);
    assert.equal(Object.keys(ok.manifest?.tools ?? {}).length, 1000);
    const broken = readManifest('mcp.yaml', text.replace('tool_999:', 'tool_999:\n    bogus: 1'));
    assert.deepEqual(codesOf(broken.diagnostics), ['unknown-key']);
  });
});

describe('names', () => {
  const cases: [string, string, string, string][] = [
    // name, identifier, type name, file name
    ['get-sum', 'getSum', 'GetSum', 'get-sum'],
    ['get_sum', 'getSum', 'GetSum', 'get_sum'],
    ['get_forecast', 'getForecast', 'GetForecast', 'get_forecast'],
    ['delete', 'delete_', 'Delete', 'delete'],
    ['private', 'private_', 'Private', 'private'],
    ['from', 'from_', 'From', 'from'],
    ['class', 'class_', 'Class', 'class'],
    ['await', 'await_', 'Await', 'await'],
    ['123', '_123', 'T123', '123'],
    ['123abc', '_123abc', 'T123Abc', '123abc'],
    ['a.b', 'aB', 'AB', 'a_b'],
    ['', '_', 'T', '_'],
    ['HTTPServer', 'httpServer', 'HTTPServer', 'HTTPServer'],
    ['URL', 'url', 'URL_', 'URL'],
    ['promise', 'promise', 'Promise_', 'promise'],
    ['café-au-lait', 'caféAuLait', 'CafeAuLait', 'caf_-au-lait'],
    ['Browser console logs', 'browserConsoleLogs', 'BrowserConsoleLogs', 'Browser_console_logs'],
    ['"customers" database schema', 'customersDatabaseSchema', 'CustomersDatabaseSchema', '_customers__database_schema'],
    ['3sA', '_3sA', 'T3SA', '3sA'],
    ['名前', '名前', 'U540DU524D', '__'],
    ['😀x', 'x', 'U1F600X', '_x'],
    ['__proto__', 'proto', 'Proto', '__proto__'],
    ['con', 'con', 'Con', 'con_'],
    ['-x', 'x', 'X', '_-x'],
  ];
  for (const [name, id, type, file] of cases) {
    test(JSON.stringify(name), () => {
      assert.equal(toIdentifier(name), id);
      assert.equal(toTypeName(name), type);
      assert.equal(toFileName(name), file);
      // json-schema-to-typescript renames any type name that is not a fixed point of this;
      // a renamed type would be emitted under one name and imported under another.
      assert.equal(toSafeString(`${type}Args`), `${type}Args`);
    });
  }

  test('every identifier is a valid binding in strict-mode ESM', () => {
    for (const word of [...RESERVED_WORDS, ...cases.map((c) => c[0]), 'get', 'set', 'let', 'yield', 'eval', 'arguments']) {
      const id = toIdentifier(word);
      assert.doesNotThrow(() => new Function(`"use strict"; let ${id} = 1; return ${id};`), `${word} -> ${id}`);
      assert.ok(!RESERVED_WORDS.includes(id), `${word} -> ${id} is reserved`);
    }
  });

  test('derived type names', () => {
    assert.equal(derivedTypeName('toolInput', 'get_forecast'), 'GetForecastInput');
    assert.equal(derivedTypeName('toolOutput', 'promise'), 'Promise_Output');
    assert.equal(derivedTypeName('resourceParams', '123'), 'T123Params');
    assert.equal(elicitFormTypeName('book_table', 'confirm'), 'BookTableConfirm');
    assert.equal(completionExportName('user_id'), 'completeUserId');
  });
});

describe('suggestions', () => {
  test('edit distance counts a transposition as one edit', () => {
    assert.equal(editDistance('requried', 'required'), 1);
    assert.equal(editDistance('tittle', 'title'), 1);
    assert.equal(editDistance('', 'abc'), 3);
  });
  test('did you mean', () => {
    assert.equal(didYouMean('tittle', ['name', 'title', 'version']), 'title');
    assert.equal(didYouMean('Title', ['title']), 'title');
    assert.equal(didYouMean('readOnly', ['title', 'readOnlyHint']), 'readOnlyHint');
    assert.equal(didYouMean('zzzzzz', ['host', 'port']), undefined);
  });
});

describe('URI templates', () => {
  test('variables of every operator', () => {
    const parsed = parseUriTemplate('x://{a}/{+path}{/seg,more*}{.ext}{;m}{?q,limit}{&page}{#frag:3}');
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(templateVariables(parsed), ['a', 'path', 'seg', 'more', 'ext', 'm', 'q', 'limit', 'page', 'frag']);
    assert.deepEqual(parsed.expressions.map((e) => e.operator), ['', '+', '/', '.', ';', '?', '&', '#']);
  });
  test('malformed templates are reported, not thrown', () => {
    assert.equal(parseUriTemplate('x://{a').problems.length, 1);
    assert.equal(parseUriTemplate('x://{}').problems.length, 1);
    assert.equal(parseUriTemplate('x://{a b}').problems.length, 1);
    assert.equal(parseUriTemplate('x://a}').problems.length, 1);
    assert.equal(parseUriTemplate('config://app').expressions.length, 0);
  });
});

describe('Handlebars scanner', () => {
  const names = (t: string) => scanHandlebars(t).placeholders.map((p) => p.name);
  test('reads names from mustaches, blocks and helpers', () => {
    assert.deepEqual(names('{{a}} {{{b}}} {{#if c}}{{d.e}}{{else if f}}{{/if}} {{lookup g "k"}} {{&h}} {{~i~}}'), ['a', 'b', 'c', 'd', 'f', 'g', 'h', 'i']);
  });
  test('ignores this, @data, comments, escapes, literals and context blocks', () => {
    assert.deepEqual(names('{{this}} {{@index}} {{! x}} {{!-- {{y}} --}} \\{{z}} {{#each list}}{{item}}{{/each}} {{log "s" 1 true}}'), ['list']);
  });
  test('reports unbalanced tags', () => {
    assert.equal(scanHandlebars('{{#if a}}x').issues.length, 1);
    assert.equal(scanHandlebars('{{/if}}').issues.length, 1);
    assert.equal(scanHandlebars('{{a').issues.length, 1);
    assert.equal(scanHandlebars('{{#if a}}{{/unless}}').issues.length, 1);
  });
});

describe('loader positions', () => {
  test('locate falls back to the nearest ancestor; locateKey points at keys', () => {
    const loaded = loadManifest('mcp.yaml', 'a:\n  b:\n    c: 1\n  list: [x, y]\n');
    assert.deepEqual(loaded.locate(['a', 'b', 'c']), { line: 3, col: 8, endLine: 3, endCol: 9 });
    assert.deepEqual(loaded.locateKey(['a', 'b', 'c']), { line: 3, col: 5, endLine: 3, endCol: 6 });
    assert.equal(loaded.locate(['a', 'b', 'missing', 'deeper']).line, 3);
    assert.deepEqual(loaded.locate(['a', 'list', 1]), { line: 4, col: 13, endLine: 4, endCol: 14 });
    assert.deepEqual(loaded.locate(['a', 'list', '1']), loaded.locate(['a', 'list', 1]));
  });
  test('aliases and merge keys resolve to the anchored node', () => {
    const loaded = loadManifest('mcp.yaml', 'base: &b\n  title: hi\nuse:\n  <<: *b\n  own: 1\nref: *b\n');
    assert.equal(loaded.locate(['use', 'title']).line, 2);
    assert.equal(loaded.locate(['use', 'own']).line, 5);
    assert.equal(loaded.locate(['ref', 'title']).line, 2);
  });
  test('locateText finds a placeholder inside a block scalar', () => {
    const loaded = loadManifest('mcp.yaml', 't: |\n  line one\n  and {{x}} here\n');
    assert.deepEqual(loaded.locateText(['t'], '{{x}}'), { line: 3, col: 7, endLine: 3, endCol: 12 });
  });
  test('validateManifest prints the path it is given', () => {
    const loaded = loadManifest('a/mcp.yaml', 'version: 3\n');
    assert.ok(validateManifest(loaded, 'b/mcp.yaml').diagnostics.every((d) => d.file === 'b/mcp.yaml'));
  });
  test('paths read naturally in messages', () => {
    assert.equal(formatPath(['tools', 'get-sum', 'input']), 'tools.get-sum.input');
    assert.equal(formatPath(['prompts', 'p', 'messages', '1', 'text']), 'prompts.p.messages[1].text');
    assert.equal(formatPath(['tools', 'my tool']), 'tools["my tool"]');
    assert.equal(formatPath([]), 'the manifest');
  });
});

describe('renderers', () => {
  const diags: Diagnostic[] = [
    { code: 'b-code', severity: 'warning', message: 'second', file: 'mcp.yaml', line: 3, col: 1 },
    { code: 'a-code', severity: 'error', message: '100% broken: a, b\nnext line', file: 'mcp.yaml', line: 1, col: 5, endLine: 1, endCol: 8, hint: 'fix it' },
    { code: 'c-code', severity: 'error', message: 'other file', file: 'a:b,c.yaml', line: 9, col: 2 },
  ];

  test('sorting is by file, line and column, and drops exact duplicates', () => {
    const sorted = sortDiagnostics([...diags, diags[0]!]);
    assert.deepEqual(sorted.map((d) => d.code), ['c-code', 'a-code', 'b-code']);
  });

  test('text: header, code frame with caret run, hint, summary', () => {
    const text = renderText([diags[0]!, diags[1]!], new Map([['mcp.yaml', 'abc defgh\nx\ny\nz\n']]), { color: false });
    assert.equal(
      text,
      [
        'mcp.yaml:1:5 error[a-code]: 100% broken: a, b',
        'next line',
        '> 1 | abc defgh',
        '    |     ^^^',
        '  2 | x',
        '  3 | y',
        '  = hint: fix it',
        '',
        'mcp.yaml:3:1 warning[b-code]: second',
        '  1 | abc defgh',
        '  2 | x',
        '> 3 | y',
        '    | ^',
        '  4 | z',
        '',
        '1 error, 1 warning',
        '',
      ].join('\n'),
    );
    assert.equal(renderText([], new Map(), { color: false }), '');
  });

  test('colour only when asked', () => {
    const sources = new Map([['mcp.yaml', 'abc defgh\n']]);
    assert.ok(!renderText(diags, sources, { color: false }).includes('\u001b['));
    assert.ok(renderText(diags, sources, { color: true }).includes('\u001b[31m'));
  });

  test('carets line up under tabs', () => {
    const frame = codeFrame('\tkey: value\n', { line: 1, col: 7, endLine: 1, endCol: 12 }, { palette: { error: (s) => s, warning: (s) => s, bold: (s) => s, dim: (s) => s, hint: (s) => s, gutter: (s) => s } });
    assert.equal(frame.split('\n')[1], '    | \t     ^^^^^');
  });

  test('JSON is sorted with a fixed key order', () => {
    const parsed = JSON.parse(renderJson(diags)) as Diagnostic[];
    assert.deepEqual(parsed.map((d) => d.code), ['c-code', 'a-code', 'b-code']);
    assert.deepEqual(Object.keys(parsed[1]!), ['code', 'severity', 'message', 'file', 'line', 'col', 'endLine', 'endCol', 'hint']);
  });

  test('GitHub annotations escape data and properties', () => {
    assert.equal(
      renderGithub(diags),
      [
        '::error file=a%3Ab%2Cc.yaml,line=9,col=2,title=c-code::other file',
        '::error file=mcp.yaml,line=1,col=5,endColumn=7,title=a-code::100%25 broken: a, b%0Anext line%0Ahint: fix it',
        '::warning file=mcp.yaml,line=3,col=1,title=b-code::second',
        '',
      ].join('\n'),
    );
  });

  test('summary counts', () => {
    assert.equal(summarize(diags), '2 errors, 1 warning');
    assert.equal(summarize([]), '0 errors, 0 warnings');
  });
});
