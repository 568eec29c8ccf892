/**
 * `npm run schema`: writes the config's JSON Schema (src/config/json-schema.ts) to
 * schema/jobalert.schema.json; `-- --check` only says whether the committed file is up to date.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configJsonSchemaText, JSON_SCHEMA_PATH } from '../src/config/json-schema.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.join(ROOT, JSON_SCHEMA_PATH);
const text = configJsonSchemaText();
const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
if (process.argv.includes('--check')) {
  process.stdout.write(current === text ? `${JSON_SCHEMA_PATH} is up to date\n` : `${JSON_SCHEMA_PATH} is out of date: run npm run schema\n`);
  process.exitCode = current === text ? 0 : 1;
} else if (current === text) {
  process.stdout.write(`${JSON_SCHEMA_PATH} unchanged\n`);
} else {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  process.stdout.write(`wrote ${JSON_SCHEMA_PATH}\n`);
}
