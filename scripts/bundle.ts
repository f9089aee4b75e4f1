// npm run bundle: dist/natscope.mjs, one file that runs with only Node >= 20 present (scp it to a
// host, `node natscope.mjs`). esbuild bundles cli.tsx with every runtime dependency; the demo
// recording and the version travel inside the file, since there is no package beside it.
//
//   npm run bundle [-- --out dist/natscope.mjs]
import {chmod, readFile, stat} from 'node:fs/promises';
import {sep} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {build, type Plugin} from 'esbuild';

const {values: args} = parseArgs({options: {out: {type: 'string', default: 'dist/natscope.mjs'}}});
const root = fileURLToPath(new URL('../', import.meta.url));
const out = new URL(args.out, new URL('../', import.meta.url));
const pkg = JSON.parse(await readFile(new URL('package.json', new URL('../', import.meta.url)), 'utf8')) as {version: string};
const demo = await readFile(new URL('media/demo.ndjson.gz', new URL('../', import.meta.url)));

const VERSION_LINE = 'let cachedVersion: string | undefined;';

const inside: Plugin = {
	name: 'natscope-inside',
	setup(b) {
		// source/ui/ink.ts re-exports Ink and its string-width (the built app swaps in a bundle of
		// both). Here Ink is bundled anyway: its importers get the package, and line.tsx the
		// string-width Ink uses (its Text and Transform are only used once Ink is up). Through a
		// module that re-exports all of Ink, esbuild 0.28 did not await Ink's top-level await
		// before the first use (render was undefined at the first call).
		b.onResolve({filter: /[\\/]ui[\\/]ink\.js$/}, async resolved => {
			if (!resolved.importer.includes(`${sep}source${sep}`) && !resolved.importer.endsWith('cli.tsx')) return undefined;
			if (resolved.importer.endsWith(`components${sep}line.tsx`)) return {path: 'ink-string-width', namespace: 'natscope-stub'};
			return b.resolve('ink', {kind: resolved.kind, resolveDir: root});
		});
		b.onLoad({filter: /^ink-string-width$/, namespace: 'natscope-stub'}, () => ({
			loader: 'js',
			resolveDir: root,
			contents: "export {Text, Transform} from 'ink';\nexport {default as stringWidth} from 'string-width';",
		}));
		// Ink connects to the React devtools only when DEV=true; they are no runtime dependency,
		// and a bundle cannot leave an import it might never use (ES imports are all loaded).
		b.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'natscope-stub'}));
		b.onLoad({filter: /.*/, namespace: 'natscope-stub'}, () => ({loader: 'js', contents: 'export default {initialize() {}, connectToDevTools() {}};'}));
		// The demo recording as bytes in the bundle instead of a file next to it.
		b.onLoad({filter: /source[\\/]replay[\\/]demo-file\.ts$/}, () => ({
			loader: 'ts',
			contents: [
				`const DEMO = ${JSON.stringify(demo.toString('base64'))};`,
				`export const DEMO_PATH = 'media/demo.ndjson.gz';`,
				`export async function demoRecording(): Promise<Buffer> { return Buffer.from(DEMO, 'base64'); }`,
			].join('\n'),
		}));
		// The version: no package.json travels with the bundle.
		b.onLoad({filter: /source[\\/]config[\\/]flags\.ts$/}, async loaded => {
			const text = await readFile(loaded.path, 'utf8');
			if (!text.includes(VERSION_LINE)) throw new Error(`flags.ts no longer has "${VERSION_LINE}": update scripts/bundle.ts`);
			return {loader: 'ts', contents: text.replace(VERSION_LINE, `let cachedVersion: string | undefined = ${JSON.stringify(pkg.version)};`)};
		});
	},
};

const started = Date.now();
await build({
	absWorkingDir: root,
	entryPoints: ['cli.tsx'],
	outfile: fileURLToPath(out),
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	minify: true,
	legalComments: 'none',
	jsx: 'automatic',
	define: {'process.env.NODE_ENV': '"production"'},
	// CommonJS dependencies (React) call require() for Node built-ins; an ES module has none.
	banner: {js: `import {createRequire as __natscopeRequire} from 'node:module';\nconst require = __natscopeRequire(import.meta.url);`},
	plugins: [inside],
	logLevel: 'warning',
});
await chmod(out, 0o755);
const size = (await stat(out)).size;
process.stderr.write(`bundle: ${args.out} ${(size / 1024).toFixed(0)} KiB (demo ${(demo.length / 1024).toFixed(0)} KiB inside) in ${Date.now() - started} ms\n`);
