// Rewrites the key table in README.md from source/keymap.ts (npm run readme:keys).
import {readFile, writeFile} from 'node:fs/promises';
import {readmeKeyTable} from '../source/keymap.js';

const path = new URL('../README.md', import.meta.url);
const readme = await readFile(path, 'utf8');
const pattern = /<!-- keys:start -->[\s\S]*?<!-- keys:end -->/;
if (!pattern.test(readme)) throw new Error('README.md has no <!-- keys:start --> … <!-- keys:end --> markers');
await writeFile(path, readme.replace(pattern, `<!-- keys:start -->\n${readmeKeyTable()}\n<!-- keys:end -->`));
