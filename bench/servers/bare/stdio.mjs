// The bare stdio loop: readline, JSON.parse, JSON.stringify, one write per reply.
import { createInterface } from "node:readline";
import { answer } from "./tools.mjs";

createInterface({ input: process.stdin }).on("line", (line) => {
  const reply = answer(JSON.parse(line));
  if (reply) process.stdout.write(JSON.stringify(reply) + "\n");
});
