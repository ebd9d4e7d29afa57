/**
 * Issue 16, finding 9 (tour): create_thumbnail reads only regular files of at most 5 MiB
 * inside its allowed folders (the server's image folder, TOUR_IMAGE_DIR here, or the
 * client's roots over stdio), and answers every path it may not read exactly as a missing
 * one: /etc/passwd, /dev/zero, a FIFO, a directory, a link leading out, `..`.
 * The example as a real process with the official SDK client.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, test } from "node:test";
import { ListRootsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { connectExample, exampleDir, textOf, type Connected } from "./helpers.js";

const SAMPLE = join(exampleDir("tour"), "assets", "sample.png");
const REFUSED = "No such file in the allowed folders";

describe("examples/tour: create_thumbnail is confined", { timeout: 60_000 }, () => {
  const base = mkdtempSync(join(tmpdir(), "mcpgen-tour-files-"));
  const root = join(base, "images");
  const outside = join(base, "outside");
  let server: Connected;
  const thumbnail = (image_path: string) => server.client.callTool({ name: "create_thumbnail", arguments: { image_path } });

  before(async () => {
    mkdirSync(join(root, "subdir"), { recursive: true });
    mkdirSync(outside);
    copyFileSync(SAMPLE, join(root, "small.png"));
    copyFileSync(SAMPLE, join(outside, "secret.png"));
    writeFileSync(join(root, "notes.txt"), "not a picture");
    // A PNG signature, then 6 MiB: over the 5 MiB cap.
    writeFileSync(join(root, "big.png"), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(6 * 1024 * 1024)]));
    symlinkSync(join(outside, "secret.png"), join(root, "link-out.png"));
    symlinkSync(join(root, "small.png"), join(root, "link-in.png"));
    symlinkSync("/dev/zero", join(root, "zero.png"));
    assert.equal(spawnSync("mkfifo", [join(root, "pipe.png")]).status, 0, "mkfifo");
    server = await connectExample("tour", { env: { TOUR_IMAGE_DIR: root } });
  });
  after(async () => {
    await server?.close();
    rmSync(base, { recursive: true, force: true });
  });

  test("paths outside the folder, devices, pipes, directories and links out: the same answer as a missing file", async () => {
    for (const path of [
      "/etc/passwd",
      join(outside, "secret.png"),
      join(root, "link-out.png"),
      join(root, "..", "outside", "secret.png"),
      "../outside/secret.png",
      join(root, "missing.png"),
      "missing.png",
      join(root, "subdir"),
      root,
      join(root, "pipe.png"),
      join(root, "zero.png"),
      "/proc/self/environ",
      "/dev/zero",
    ]) {
      const r = await thumbnail(path);
      assert.equal(r.isError, true, path);
      assert.equal(textOf(r), `Cannot read ${path}: ${REFUSED}`, path);
    }
  });

  test("regular PNGs inside the folder are read, links within it too; too large and non-PNG are named", async () => {
    for (const path of [join(root, "small.png"), "small.png", join(root, "link-in.png")]) {
      const r = await thumbnail(path);
      assert.equal(r.isError, undefined, `${path}: ${textOf(r)}`);
      assert.equal((r.content as { type: string }[])[0]!.type, "image");
    }
    const big = await thumbnail(join(root, "big.png"));
    assert.equal(big.isError, true);
    assert.match(textOf(big), /larger than 5242880 bytes/);
    const text = await thumbnail(join(root, "notes.txt"));
    assert.equal(text.isError, true);
    assert.match(textOf(text), /is not a PNG file/);
  });

  test("over stdio, a client offering roots decides the folders instead", async () => {
    const withRoots = await connectExample("tour", {
      env: { TOUR_IMAGE_DIR: root },
      capabilities: { roots: {} },
      setup(client) {
        client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: pathToFileURL(outside).href, name: "outside" }, { uri: "https://example.com/not-a-folder" }] }));
      },
    });
    try {
      const call = (image_path: string) => withRoots.client.callTool({ name: "create_thumbnail", arguments: { image_path } });
      assert.equal((await call(join(outside, "secret.png"))).isError, undefined);
      const notARoot = await call(join(root, "small.png"));
      assert.equal(textOf(notARoot), `Cannot read ${join(root, "small.png")}: ${REFUSED}`);
    } finally {
      await withRoots.close();
    }
  });
});
