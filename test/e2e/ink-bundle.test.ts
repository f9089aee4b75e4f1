// The built app imports Ink from dist/source/ui/ink.js, which the build replaces with one bundle
// of Ink (scripts/vendor-ink.ts): it must stand alone (no import of the ink package or of
// es-toolkit's compat barrel), share React with the app, and expose Ink's Output class so the
// fast frames install.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {execFileSync} from 'node:child_process';

const bundlePath = fileURLToPath(new URL('../../dist/source/ui/ink.js', import.meta.url));

test('dist/source/ui/ink.js is a bundle of Ink that imports only React and Node built-ins', () => {
	const text = readFileSync(bundlePath, 'utf8');
	// Minified, a statement may follow a ';' on the same line and have no space after `import`.
	const imported = [...text.matchAll(/(?:^|[;\n}])\s*import\s*(?:[^;"'()]*?\bfrom\s*)?["']([^"']+)["']/g)].map(m => m[1]!);
	const dynamic = [...text.matchAll(/\bimport\(\s*["']([^"']+)["']/g)].map(m => m[1]!).filter(name => !name.startsWith('node:'));
	assert.deepEqual(dynamic, [], 'imports nothing at run time either');
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

test('the bundled Ink draws under React\'s development build and its production build', () => {
	// React stays outside the bundle and picks its build by NODE_ENV; the bundle must carry the
	// reconciler that matches either (a production-only one draws nothing under development React).
	const script = `
		const React = (await import('react')).default;
		const {renderToString, Text} = await import(${JSON.stringify(pathToFileURL(bundlePath).href)});
		process.stdout.write(renderToString(React.createElement(Text, null, 'drawn by ' + process.env.NODE_ENV)));`;
	for (const mode of ['development', 'production']) {
		const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
			cwd: fileURLToPath(new URL('../..', import.meta.url)),
			env: {...process.env, NODE_ENV: mode},
			encoding: 'utf8',
		});
		assert.equal(out, `drawn by ${mode}`);
	}
});
