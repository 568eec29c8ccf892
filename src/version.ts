import { createRequire } from 'node:module';

// src/ and dist/ both sit one level below the package root, so this path holds in both.
const pkg = createRequire(import.meta.url)('../package.json') as { version: string };

/** jobalert's version, from package.json. */
export const VERSION: string = pkg.version;

/** The User-Agent every request carries, so feed operators can tell who polls them. */
export const USER_AGENT = `jobalert/${VERSION} (+https://github.com/jobalert/jobalert)`;
