/**
 * The zod of the runtime schemas: zod/mini, whose functional API (`z.optional(s)`, `s.check(...)`)
 * lets a bundler keep only what the schemas use, where classic zod costs every function bundle about
 * 90 KB and its load time. Import it as `import * as z from '<path>/zod'`, not the zod packages
 * themselves: a file importing classic zod would bundle both, and a bundle reaching zod/mini
 * without this module would lose the English messages installed below.
 *
 * zod/mini loads no locale, so every issue without a message of its own would read "Invalid
 * input": English is installed here, before any schema can parse, so that the messages (and the
 * 400 answers naming them) stay those of classic zod. This is a re-export (`export *`), not a
 * re-exported namespace: esbuild tree-shakes the first and would bundle all of zod for the second.
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

export * from 'zod/mini';
