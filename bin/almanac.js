#!/usr/bin/env node
// The CLI entry point: `npm install` builds dist/ (the "prepare" script), this file only loads it.
import '../dist/src/cli/main.js';
