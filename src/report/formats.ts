// The output formats a door can write, apart from the writers, so the CLI's flags load no YAML.
export const OUTPUT_FORMATS = ['table', 'json', 'sarif', 'policyreport', 'openreports'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]
