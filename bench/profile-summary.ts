// Summarise a V8 .cpuprofile (from node --cpu-prof): self time by function and by package/file,
// so the cause of a figure is visible without a browser. Usage: npx tsx bench/profile-summary.ts FILE [top]
import {readFileSync} from 'node:fs';

type Node = {id: number; callFrame: {functionName: string; url: string; lineNumber: number}; hitCount?: number; children?: number[]};
type Profile = {nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number};

const file = process.argv[2];
if (!file) {
	console.error('usage: profile-summary FILE.cpuprofile [top]');
	process.exit(2);
}
const top = Number(process.argv[3] ?? 25);
const onlyFiles = process.env.FILES === "1";
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map(n => [n.id, n]));
// SKIP_MS=N leaves out the first N ms (start-up, module loading) so the steady state shows.
const skipUs = Number(process.env['SKIP_MS'] ?? 0) * 1000;
const selfUs = new Map<number, number>();
let at = 0;
for (let i = 0; i < profile.samples.length; i++) {
	at += profile.timeDeltas[i] ?? 0;
	if (at < skipUs) continue;
	selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0));
}

function where(url: string): string {
	if (!url) return '(native)';
	const modules = url.lastIndexOf('node_modules/');
	if (modules >= 0) return url.slice(modules + 13).split('/').slice(0, url.slice(modules + 13).startsWith('@') ? 2 : 1).join('/');
	const source = url.indexOf('/source/');
	if (source >= 0) return url.slice(source + 1);
	if (url.startsWith('node:')) return url;
	return url.split('/').slice(-2).join('/');
}

const fns = new Map<string, number>();
const files = new Map<string, number>();
let total = 0;
for (const [id, us] of selfUs) {
	const node = byId.get(id)!;
	const frame = node.callFrame;
	total += us;
	if (frame.functionName === '(idle)' || frame.functionName === '(program)') continue;
	const key = `${frame.functionName || '(anonymous)'} ${where(frame.url)}:${frame.lineNumber + 1}`;
	fns.set(key, (fns.get(key) ?? 0) + us);
	const file = frame.functionName === '(garbage collector)' ? '(gc)' : where(frame.url);
	files.set(file, (files.get(file) ?? 0) + us);
}
const idle = [...selfUs].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((s, [, us]) => s + us, 0);
const busy = total - idle;
const show = (title: string, map: Map<string, number>) => {
	console.log(`\n${title} (busy ${(busy / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms)`);
	for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
		console.log(`${(us / 1000).toFixed(1).padStart(9)} ms ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${key}`);
	}
};
show('self time by file/package', files);
if (!onlyFiles) show("self time by function", fns);

// Who calls the heaviest functions (self time charged to the caller chain, 3 frames up).
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const name = (node: Node) => `${node.callFrame.functionName || '(anonymous)'} ${where(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
const heaviest = [...fns].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[4] ?? 0)).map(([key]) => key);
for (const key of heaviest) {
	const chains = new Map<string, number>();
	for (const [id, us] of selfUs) {
		if (name(byId.get(id)!) !== key) continue;
		const chain: string[] = [];
		let at = parent.get(id);
		while (at !== undefined && chain.length < 4) {
			chain.push(name(byId.get(at)!));
			at = parent.get(at);
		}
		const text = chain.join(' ← ');
		chains.set(text, (chains.get(text) ?? 0) + us);
	}
	console.log(`\ncallers of ${key}`);
	for (const [text, us] of [...chains].sort((a, b) => b[1] - a[1]).slice(0, 5)) console.log(`${(us / 1000).toFixed(1).padStart(9)} ms  ${text}`);
}
