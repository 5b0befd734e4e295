#!/usr/bin/env node
// `npx sc-pipeline <command>`: the project's command line, run from its TypeScript sources with tsx.
import { register } from 'tsx/esm/api';

register();
await import('../cli/sc-pipeline.ts');
