#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `pnpm install` / `pnpm build`).
import "../dist/cli/main.js";
