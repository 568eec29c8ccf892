#!/usr/bin/env node
/**
 * The `jobalert` executable. V8's footprint settings (core/v8-footprint.ts) go first, before any
 * module is loaded whose loading runs wasm (Node's lexer of CommonJS exports runs on the first
 * CommonJS package imported); then the command line itself (cli-program.ts).
 */
import { tuneV8Footprint } from './core/v8-footprint.js';

tuneV8Footprint();
await import('./cli-program.js');
