// cli.tsx must pick React's build before anything loads React: compiled, its first import is
// perf/runtime. JSX in cli.tsx would break that: the compiler puts the JSX runtime import first,
// which loads React's development build, and that clashes with the production React Ink gets.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import ts from 'typescript';

test('compiled cli.tsx loads perf/runtime first, then interactive-env', () => {
	const text = readFileSync(new URL('../../cli.tsx', import.meta.url), 'utf8');
	const {outputText} = ts.transpileModule(text, {
		compilerOptions: {jsx: ts.JsxEmit.ReactJSX, module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022},
		fileName: 'cli.tsx',
	});
	const imports = [...outputText.matchAll(/^import\s[^\n]*/gm)].map(m => m[0]);
	assert.match(imports[0]!, /source\/perf\/runtime\.js/, 'React\'s production build is chosen first');
	assert.match(imports[1]!, /source\/interactive-env\.js/, 'then the CI variables Ink reads');
});
