#!/usr/bin/env node
// Compiled by `npm ci` (prepare) or `npm run build`.
require('../lib/src/cli/main.js').main(process.argv.slice(2));
