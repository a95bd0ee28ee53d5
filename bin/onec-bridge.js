#!/usr/bin/env node
// The CLI is TypeScript run by Node 24's type stripping.
import '../src/cli.ts'
