// node:fs through require. Importing it as an ES module makes Node build a module namespace of
// its ~100 exports, ~3 ms of every start on a 2-core host (about 0.2 ms through require), and
// natscope needs a handful of functions. The same holds for node:process, which is why no module
// imports it: the global is the same object.
import {createRequire} from 'node:module';

const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');

export const {readFileSync, statSync, openSync, createWriteStream} = fs;
