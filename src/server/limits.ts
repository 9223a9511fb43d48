// The server's request limits, in a module of their own so the CLI can show them without loading Fastify.

/** The API server's objects are at most 3 MiB and UPDATE sends two of them, plus the envelope. */
export const DEFAULT_BODY_LIMIT = 7 * 1024 * 1024
