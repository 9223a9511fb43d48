// Paths relative to the installed package, so `jackstop` works from any directory.
import { fileURLToPath } from 'node:url'

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const DEFAULT_POLICIES_DIR = fileURLToPath(new URL('../../policies/', import.meta.url))
