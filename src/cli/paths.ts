// Paths relative to the installed package, so `jackstop` works from any directory.
import { fileURLToPath } from 'node:url'

// Development runs src/cli/paths.ts from the repository; the package runs the build,
// dist/src/cli/paths.js, one directory deeper (npm run build, tsconfig.build.json).
const BUILT = import.meta.url.endsWith('.js')

/* c8 ignore start: tests run the sources; test/package/install.test.ts runs the build, installed */
export const PACKAGE_ROOT = fileURLToPath(new URL(BUILT ? '../../../' : '../../', import.meta.url))
/* c8 ignore stop */
/** policies/ in the repository (TypeScript), dist/policies/ in the package (compiled, since Node does not strip types under node_modules). */
export const DEFAULT_POLICIES_DIR = fileURLToPath(new URL('../../policies/', import.meta.url))
