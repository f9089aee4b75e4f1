// Part of `npm run build`, after tsc: replaces dist/source/ui/ink.js (tsc's `export * from
// 'ink'`) with one esbuild bundle of Ink and everything it imports but React, tree-shaken. Why:
// source/ui/ink.ts. The bundle also exports Ink's Output class, which the package does not
// export and source/perf/fast-frame.ts patches (in a bundle it has no file of its own to import),
// and the string-width inside it, for natscope's own measuring (source/components/line.tsx).

import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const outfile = fileURLToPath(new URL('../dist/source/ui/ink.js', import.meta.url));
const inkOutput = fileURLToPath(new URL('../node_modules/ink/build/output.js', import.meta.url));

const started = Date.now();
const result = await build({
	absWorkingDir: root,
	stdin: {
		contents: `export * from 'ink';\nexport {default as stringWidth} from 'string-width';\nexport {default as InkOutput} from ${JSON.stringify(inkOutput)};\n`,
		resolveDir: root,
		sourcefile: 'vendor-ink-entry.js',
		loader: 'js',
	},
	outfile,
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	// One React for the app and Ink: the app's hooks and Ink's reconciler must share it.
	external: ['react'],
	// Minified: V8 reads the whole text at every start and keeps it in the heap for as long as the
	// process runs (1,624 KiB → 639 KiB). Both of the reconciler's builds stay in: React itself is
	// external and follows NODE_ENV (source/perf/runtime.ts), and a production reconciler under
	// React's development build draws nothing (tried: `define` NODE_ENV, NODE_ENV=development).
	minify: true,
	plugins: [
		{
			// Ink loads the React devtools only when DEV=true; they are no dependency of ours, and a
			// bundle cannot leave an ES import it might never use (every static import is loaded).
			name: 'no-devtools',
			setup(b) {
				b.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'natscope-stub'}));
				b.onLoad({filter: /.*/, namespace: 'natscope-stub'}, () => ({loader: 'js', contents: 'export default {initialize() {}, connectToDevTools() {}};'}));
			},
		},
	],
	// Ink's CommonJS dependencies call require() for Node built-ins; an ES module has none.
	banner: {js: `import {createRequire as __inkRequire} from 'node:module';\nconst require = __inkRequire(import.meta.url);`},
	legalComments: 'inline',
	logLevel: 'warning',
	metafile: true,
});
const bytes = Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
const inputs = Object.keys(result.metafile.inputs).length;
process.stdout.write(`vendored Ink: dist/source/ui/ink.js, ${(bytes / 1024).toFixed(0)} KiB from ${inputs} modules, ${Date.now() - started} ms\n`);
