// The shape of an intel file. Provenance is required on every entry: an entry nobody can
// trace back to a report cannot be reviewed, so it is refused at load.

const provenance = {
  source: { type: 'string', minLength: 1, maxLength: 80 },
  report: { type: 'string', minLength: 1, maxLength: 300 },
  date: { type: 'string', pattern: '^\\d{4}(-\\d{2}(-\\d{2})?)?$' },
  url: { type: 'string', pattern: '^https?://\\S+$' },
}
const required = ['source', 'date']

function entries(properties: Record<string, object>, keys: string[]) {
  return {
    type: 'array',
    items: { type: 'object', additionalProperties: false, required: [...keys, ...required], properties: { ...properties, ...provenance } },
  }
}

// Patterns without nested quantifiers: the ReDoS lint checks these too.
const domain = { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]*$' }
const word = { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$' }

export const intelFileSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // Two patterns, not one: `[^:@\s]+/[^:@\s]+` backtracks over every `/` it could split at.
    images: entries({ name: { type: 'string', allOf: [{ pattern: '^[^:@\\s]+$' }, { pattern: '/' }] } }, ['name']),
    accounts: entries({ name: { type: 'string', pattern: '^[^:@\\s]+$' } }, ['name']),
    digests: entries({ digest: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' }, name: { type: 'string', minLength: 1 } }, ['digest', 'name']),
    pools: entries({ domain }, ['domain']),
    programs: entries({ name: word, variants: { type: 'array', items: word }, ambiguous: { type: 'boolean' } }, ['name']),
    installers: entries({ prefix: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]*(/\\S*)?$' } }, ['prefix']),
    packages: entries(
      {
        ecosystem: { enum: ['PyPI', 'npm', 'Go', 'RubyGems', 'crates.io'] },
        name: { type: 'string', minLength: 1, maxLength: 214 },
        versions: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' },
      },
      ['ecosystem', 'name', 'versions', 'id'],
    ),
  },
}
