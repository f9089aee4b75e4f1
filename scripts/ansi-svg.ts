// Turns a tmux capture with escape codes (capture-pane -e) into an SVG picture of the terminal.
const PALETTE = ['#1d1f21', '#cc6666', '#b5bd68', '#f0c674', '#81a2be', '#b294bb', '#8abeb7', '#c5c8c6'];
const BRIGHT = ['#666666', '#ff7b7b', '#d0e08a', '#ffd98a', '#a3c4e0', '#d3b4dd', '#a6dcd6', '#ffffff'];
const FOREGROUND = '#c5c8c6';
const BACKGROUND = '#1d1f21';

type Style = {fg: string; bg?: string; bold: boolean; dim: boolean; inverse: boolean};

function color256(n: number): string {
	if (n < 8) return PALETTE[n]!;
	if (n < 16) return BRIGHT[n - 8]!;
	if (n >= 232) {
		const v = 8 + (n - 232) * 10;
		return `rgb(${v},${v},${v})`;
	}
	const i = n - 16;
	const level = (x: number) => (x === 0 ? 0 : 55 + x * 40);
	return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
}

function applySgr(style: Style, codes: number[]): Style {
	const next = {...style};
	for (let i = 0; i < codes.length; i++) {
		const code = codes[i]!;
		if (code === 0) Object.assign(next, {fg: FOREGROUND, bg: undefined, bold: false, dim: false, inverse: false});
		else if (code === 1) next.bold = true;
		else if (code === 2) next.dim = true;
		else if (code === 7) next.inverse = true;
		else if (code === 22) Object.assign(next, {bold: false, dim: false});
		else if (code === 27) next.inverse = false;
		else if (code >= 30 && code <= 37) next.fg = PALETTE[code - 30]!;
		else if (code >= 90 && code <= 97) next.fg = BRIGHT[code - 90]!;
		else if (code === 39) next.fg = FOREGROUND;
		else if (code >= 40 && code <= 47) next.bg = PALETTE[code - 40];
		else if (code === 49) next.bg = undefined;
		else if ((code === 38 || code === 48) && codes[i + 1] === 5) {
			const value = color256(codes[i + 2] ?? 7);
			if (code === 38) next.fg = value;
			else next.bg = value;
			i += 2;
		}
	}
	return next;
}

function escapeXml(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function ansiToSvg(capture: string, columns: number): string {
	const cellWidth = 8.4;
	const lineHeight = 18;
	const lines = capture.replace(/\n$/, '').split('\n');
	const parts: string[] = [];
	let style: Style = {fg: FOREGROUND, bold: false, dim: false, inverse: false};
	lines.forEach((line, row) => {
		let column = 0;
		const pattern = /\u001B\[([\d;]*)m|([^\u001B]+)/g;
		let match: RegExpExecArray | null;
		while ((match = pattern.exec(line)) !== null) {
			if (match[1] !== undefined) {
				style = applySgr(style, match[1] === '' ? [0] : match[1].split(';').map(Number));
				continue;
			}
			const text = match[2]!;
			const length = [...text].length;
			const fg = style.inverse ? (style.bg ?? BACKGROUND) : style.fg;
			const bg = style.inverse ? style.fg : style.bg;
			const x = 12 + column * cellWidth;
			const y = 12 + row * lineHeight;
			if (bg) parts.push(`<rect x="${x}" y="${y}" width="${(length * cellWidth).toFixed(1)}" height="${lineHeight}" fill="${bg}"/>`);
			const weight = style.bold ? ' font-weight="bold"' : '';
			const opacity = style.dim ? ' opacity="0.6"' : '';
			parts.push(`<text x="${x}" y="${y + 13}" fill="${fg}"${weight}${opacity} textLength="${(length * cellWidth).toFixed(1)}" lengthAdjust="spacingAndGlyphs">${escapeXml(text)}</text>`);
			column += length;
		}
	});
	const width = Math.ceil(24 + columns * cellWidth);
	const height = Math.ceil(24 + lines.length * lineHeight);
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
		`<rect width="100%" height="100%" rx="6" fill="${BACKGROUND}"/>`,
		`<g font-family="'DejaVu Sans Mono', Menlo, Consolas, monospace" font-size="14" xml:space="preserve">`,
		...parts,
		'</g>',
		'</svg>',
		'',
	].join('\n');
}
