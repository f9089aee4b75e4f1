// A fake /proc tree in a temp dir for discovery unit tests: net/tcp(6), stat (btime), and per
// process fd symlinks ("socket:[inode]"), exe, comm and stat. Only what discover.ts reads.
import {mkdir, mkdtemp, rm, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export const BOOT_SECONDS = 1_700_000_000;

export type FakeSocket = {inode: number; port: number; address?: string; v6?: boolean; state?: string};

export type FakeProcess = {
	pid: number;
	exe?: string;
	comm?: string;
	/** Socket inodes the process holds. */
	sockets?: number[];
	/** Files: [fd, path, flags (octal text)]. */
	files?: Array<[number, string, string]>;
	/** Start, seconds after boot (written as 100 Hz ticks). */
	startSeconds?: number;
	state?: string;
	/** fd directory unreadable (another user's process). */
	hidden?: boolean;
};

function hexPort(port: number): string {
	return port.toString(16).toUpperCase().padStart(4, '0');
}

function hexV4(address: string): string {
	return address
		.split('.')
		.map(n => Number(n).toString(16).toUpperCase().padStart(2, '0'))
		.reverse()
		.join('');
}

function tcpLine(i: number, s: FakeSocket): string {
	const local = s.v6 ? `00000000000000000000000001000000:${hexPort(s.port)}` : `${hexV4(s.address ?? '127.0.0.1')}:${hexPort(s.port)}`;
	const remote = s.v6 ? '00000000000000000000000000000000:0000' : '00000000:0000';
	return `  ${i}: ${local} ${remote} ${s.state ?? '0A'} 00000000:00000000 00:00000000 00000000     0        0 ${s.inode} 1 0000000000000000 100 0 0 10 0`;
}

export async function makeFakeProc(sockets: FakeSocket[], processes: FakeProcess[]): Promise<{root: string; cleanup(): Promise<void>}> {
	const root = await mkdtemp(join(tmpdir(), 'natscope-proc-'));
	await mkdir(join(root, 'net'));
	const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
	const v4 = sockets.filter(s => !s.v6);
	const v6 = sockets.filter(s => s.v6);
	await writeFile(join(root, 'net', 'tcp'), [header, ...v4.map((s, i) => tcpLine(i, s))].join('\n') + '\n');
	await writeFile(join(root, 'net', 'tcp6'), [header, ...v6.map((s, i) => tcpLine(i, s))].join('\n') + '\n');
	await writeFile(join(root, 'stat'), `cpu  1 2 3\nbtime ${BOOT_SECONDS}\n`);
	for (const p of processes) {
		const dir = join(root, String(p.pid));
		await mkdir(join(dir, 'fdinfo'), {recursive: true});
		if (!p.hidden) {
			await mkdir(join(dir, 'fd'));
			let fd = 3;
			for (const inode of p.sockets ?? []) await symlink(`socket:[${inode}]`, join(dir, 'fd', String(fd++)));
			for (const [n, path, flags] of p.files ?? []) {
				await symlink(path, join(dir, 'fd', String(n)));
				await writeFile(join(dir, 'fdinfo', String(n)), `pos:\t0\nflags:\t${flags}\nmnt_id:\t1\n`);
			}
		}
		if (p.exe !== undefined) await symlink(p.exe, join(dir, 'exe'));
		await writeFile(join(dir, 'comm'), `${p.comm ?? 'nats-server'}\n`);
		const ticks = Math.round((p.startSeconds ?? 100) * 100);
		// Field 2 is "(comm)", field 3 the state, field 22 starttime.
		const fields = [String(p.pid), `(${p.comm ?? 'nats-server'})`, p.state ?? 'S', ...Array.from({length: 18}, () => '0'), String(ticks), '0'];
		await writeFile(join(dir, 'stat'), `${fields.join(' ')}\n`);
	}
	return {root, cleanup: () => rm(root, {recursive: true, force: true})};
}

/** Epoch ms of a fake process started `seconds` after boot. */
export function startedMs(seconds: number): number {
	return BOOT_SECONDS * 1000 + seconds * 1000;
}
