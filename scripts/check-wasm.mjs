// Instantiate the built wasm with its wasm-bindgen glue in Node.js, as the browser would,
// and call its start function: a broken optimization pass (a wrong reference-types table)
// fails here instead of in every visitor's browser.  Usage: node check-wasm.mjs target/site/pkg
import { copyFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = resolve(process.argv[2] ?? 'target/site/pkg');
const js = readdirSync(dir).find((f) => f.endsWith('.js') && !f.startsWith('__'));
const wasm = readdirSync(dir).find((f) => f.endsWith('.wasm'));
if (!js || !wasm) {
  console.error(`check-wasm: no .js/.wasm in ${dir}`);
  process.exit(1);
}
// The glue is an ES module named .js: a .mjs copy beside it (its relative imports still
// resolve) lets Node load it as one.
const copy = join(dir, '__check-wasm.mjs');
copyFileSync(join(dir, js), copy);
let mod;
try {
  mod = await import(pathToFileURL(copy).href);
} finally {
  rmSync(copy, { force: true });
}
try {
  const bytes = readFileSync(join(dir, wasm));
  await mod.default({ module_or_path: bytes });
} catch (e) {
  console.error(`check-wasm: ${wasm} does not instantiate: ${e}`);
  process.exit(1);
}
console.log(`check-wasm: ${wasm} (${readFileSync(join(dir, wasm)).length} bytes) instantiates`);
