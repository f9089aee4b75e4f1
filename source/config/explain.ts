// --explain-config: every effective setting, its value and where it came from. Secret values
// never get here: callers pass MASK instead (and the origin), so nothing can leak by mistake.
import {sanitizeText} from '../model/sanitize.js';

export const MASK = '******';

export type Setting = {
	name: string;
	/** Printable value; MASK for a password, token, seed or JWT. */
	value: string;
	/** "--user", "env NATS_PASSWORD", "context prod (/…/prod.json)", "default", … */
	origin: string;
};

/** A value another source overrode or that does not apply, with the reason. */
export type Ignored = {name: string; value: string; origin: string; why: string};

export type Explanation = {
	settings: Setting[];
	ignored: Ignored[];
	/** Identity lines ("user", "account", "JWT expires") for NATS logins. */
	identity: Setting[];
	warnings: string[];
};

const NAME_WIDTH = 16;
const VALUE_WIDTH = 36;

function row(name: string, rawValue: string, rawOrigin: string): string {
	// Values and paths come from files and the environment: keep control characters harmless.
	const value = sanitizeText(rawValue, 400);
	const origin = sanitizeText(rawOrigin, 400);
	const left = `  ${name.padEnd(NAME_WIDTH)} ${value}`;
	if (origin === '') return left;
	const padded = value.length <= VALUE_WIDTH ? left.padEnd(2 + NAME_WIDTH + 1 + VALUE_WIDTH) : left;
	return `${padded}  ${origin}`;
}

export function explainText(explanation: Explanation): string {
	const lines = ['natscope --explain-config: the effective settings and where each comes from', ''];
	for (const setting of explanation.settings) lines.push(row(setting.name, setting.value, setting.origin));
	if (explanation.ignored.length > 0) {
		lines.push('', 'Given but not used');
		for (const item of explanation.ignored) lines.push(row(item.name, item.value, `${item.origin}: ${item.why}`));
	}
	if (explanation.identity.length > 0 || explanation.warnings.length > 0) {
		lines.push('', 'Identity (checked before connecting)');
		for (const item of explanation.identity) lines.push(row(item.name, item.value, item.origin));
		for (const warning of explanation.warnings) lines.push(`  ⚠ ${sanitizeText(warning, 400)}`);
	}
	lines.push('', `Passwords, tokens, seeds and JWTs are never printed (shown as ${MASK}).`);
	return `${lines.join('\n')}\n`;
}
