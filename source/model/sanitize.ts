// Strings from servers and clients reach the terminal only through here. Control characters
// become visible Unicode control pictures (so "\x1b[2J" shows as "␛[2J" instead of clearing
// the screen), C1 controls, bidi overrides and lone surrogates become U+FFFD, and zero-width
// characters are dropped so that what is measured is what is drawn.

const REPLACEMENT = '\uFFFD';
const ELLIPSIS = '…';
export const DEFAULT_MAX_LENGTH = 1024;

// Fast path: printable ASCII only.
const SAFE_ASCII = /^[\x20-\x7E]*$/;

function replaceCodePoint(cp: number): string | undefined {
	if (cp < 0x20) return String.fromCodePoint(0x2400 + cp); // ␀ … ␟
	if (cp === 0x7f) return '\u2421'; // ␡
	if (cp >= 0x80 && cp <= 0x9f) return REPLACEMENT; // C1 controls (CSI 0x9B among them)
	if (cp >= 0xd800 && cp <= 0xdfff) return REPLACEMENT; // lone surrogate
	// Bidi embeddings, overrides and isolates can reorder the rest of the line.
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return REPLACEMENT;
	if (cp === 0x200e || cp === 0x200f || cp === 0x061c) return REPLACEMENT; // LRM, RLM, ALM
	// Zero-width and invisible formatting characters: drop.
	if ((cp >= 0x200b && cp <= 0x200d) || cp === 0x2060 || cp === 0xfeff || cp === 0x00ad) return '';
	if (cp >= 0x2061 && cp <= 0x2064) return '';
	// Line and paragraph separators break lines in some terminals.
	if (cp === 0x2028 || cp === 0x2029) return REPLACEMENT;
	// Unassigned/private planes' interlinear annotations and specials.
	if (cp >= 0xfff9 && cp <= 0xfffb) return '';
	// Tag characters (invisible).
	if (cp >= 0xe0000 && cp <= 0xe007f) return '';
	return undefined;
}

/**
 * Make any value safe to print: non-strings become '' (numbers and booleans their text),
 * every control or invisible character is neutralised, and the result is cut to maxLength
 * characters with an ellipsis.
 */
export function sanitizeText(value: unknown, maxLength = DEFAULT_MAX_LENGTH): string {
	let text: string;
	if (typeof value === 'string') text = value;
	else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
	else return '';

	if (text.length > maxLength * 4) text = text.slice(0, maxLength * 4);
	if (SAFE_ASCII.test(text)) {
		return text.length > maxLength ? text.slice(0, maxLength - 1) + ELLIPSIS : text;
	}

	let out = '';
	let count = 0;
	// Iterate by UTF-16 unit so lone surrogates are seen rather than paired silently.
	for (let i = 0; i < text.length; i++) {
		let cp = text.charCodeAt(i);
		let unit = text[i]!;
		if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
			const low = text.charCodeAt(i + 1);
			if (low >= 0xdc00 && low <= 0xdfff) {
				cp = ((cp - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
				unit = text.slice(i, i + 2);
				i++;
			}
		}
		const replaced = replaceCodePoint(cp);
		const piece = replaced ?? unit;
		if (piece === '') continue;
		if (count >= maxLength - 1 && i < text.length - 1) {
			out += ELLIPSIS;
			return out;
		}
		out += piece;
		count++;
	}
	return out;
}
