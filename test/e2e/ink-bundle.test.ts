// The built app imports Ink from dist/source/ui/ink.js, which the build replaces with one bundle
// of Ink (scripts/vendor-ink.ts): it must stand alone (no import of the ink package or of
// es-toolkit's compat barrel), share React with the app, and expose Ink's Output class so the
// fast frames install.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

const bundlePath = fileURLToPath(new URL('../../dist/source/ui/ink.js', import.meta.url));

test('dist/source/ui/ink.js is a bundle of Ink that imports only React and Node built-ins', () => {
	const text = readFileSync(bundlePath, 'utf8');
	const imported = [...text.matchAll(/^\s*import\s[^;]*?from\s*["']([^"']+)["']/gm)].map(m => m[1]!);
	const outside = imported.filter(name => !name.startsWith('node:') && name !== 'react');
	assert.deepEqual(outside, [], `imports nothing from node_modules but React (found ${outside.join(', ')})`);
	assert.ok(imported.includes('react'), 'React stays outside the bundle, shared with the app');
	assert.doesNotMatch(text, /from\s*["']es-toolkit\/compat["']/);
});

test('the bundled Ink exports what the app uses and its Output class, and the fast frames install on it', async () => {
	const ink = (await import(bundlePath)) as Record<string, unknown>;
	for (const name of ['render', 'Box', 'Text', 'Transform', 'useInput', 'useApp', 'useStdout', 'renderToString', 'stringWidth']) assert.ok(ink[name], `exports ${name}`);
	assert.equal(typeof ink['InkOutput'], 'function');
	const {installFastFrames} = (await import(fileURLToPath(new URL('../../dist/source/perf/fast-frame.js', import.meta.url)))) as typeof import('../../source/perf/fast-frame.js');
	assert.equal(await installFastFrames(ink['InkOutput']), true, 'fast frames took the bundled Output and drew the probe frame as Ink does');
});
