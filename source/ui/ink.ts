// Ink, as every part of natscope imports it. Run from source (tests, tsx) this is the ink
// package itself. The build replaces the compiled file with one esbuild bundle of Ink and its
// dependencies (scripts/vendor-ink.ts): Ink 6 imports `throttle` from es-toolkit's compat
// barrel, which loads 415 modules (~200 ms and ~20 MiB of a TUI that needs one function);
// bundled, only what Ink uses is in the file. React stays outside, shared with the app.
export * from 'ink';
// The string-width Ink measures text with (one copy in node_modules; in the bundle, Ink's own).
export {default as stringWidth} from 'string-width';
