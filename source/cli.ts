#!/usr/bin/env node
// The command: a race's engine starts booting first (early-boot.ts), then the command line is read
// (command-line.tsx: meow, --help, --version, the dispatch to main.ts).
import process from 'node:process';
import {bootEarly} from './early-boot.js';

bootEarly(process.argv.slice(2));
await import('./command-line.js');
