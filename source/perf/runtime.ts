// React picks its build when it is first loaded: without NODE_ENV=production it runs the
// development build, which checks and records every render and roughly doubles the CPU of a
// refresh. A monitor the user runs is production; a developer who sets NODE_ENV keeps it.
// Import this module before anything that loads React or Ink (cli.tsx does, first).

if (!process.env['NODE_ENV']) process.env['NODE_ENV'] = 'production';
