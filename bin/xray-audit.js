#!/usr/bin/env node
// Launcher for the built CLI (out/main/cli.js). `npm run build` produces it.
const fs = require('node:fs');
const path = require('node:path');
const cli = path.join(__dirname, '..', 'out', 'main', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('xray-audit is not built yet: run `npm run build` in ' + path.dirname(__dirname) + '\n');
  process.exit(1);
}
require(cli);
