// The shape of a policy file, checked before anything in it is compiled, so a typo
// is reported with its file and field instead of silently weakening a policy.

/** Lower-case words and dashes: an id is also a file name (`jackstop new-policy`) and a label value. */
export const POLICY_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$'

const header = {
  id: { type: 'string', pattern: POLICY_ID_PATTERN },
  description: { type: 'string', minLength: 1 },
  severity: { enum: ['low', 'medium', 'high', 'critical'] },
  action: { enum: ['deny', 'warn', 'audit'] },
  remediate: { enum: ['none', 'scale-to-zero', 'quarantine', 'evict'] },
  exempt: {
    type: 'object',
    additionalProperties: false,
    properties: {
      namespaces: { type: 'array', items: { type: 'string', minLength: 1 } },
      images: { type: 'array', items: { type: 'string', minLength: 1 } },
      serviceAccounts: { type: 'array', items: { type: 'string', pattern: '^[^:]+:[^:]+$' } },
    },
  },
}

const required = ['id', 'description', 'severity', 'action', 'target']

/** A YAML or JSON policy: a JSON schema that a compliant target satisfies. */
export const schemaPolicyFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...required, 'message', 'schema'],
  properties: {
    ...header,
    target: { enum: ['pod', 'container', 'configmap'] },
    message: { type: 'string', minLength: 1 },
    schema: { type: 'object' },
  },
}

/** A TypeScript policy's default export, functions included. */
export const functionPolicySchema = {
  type: 'object',
  additionalProperties: false,
  required: [...required, 'mode', 'prepare'],
  properties: {
    ...header,
    target: { enum: ['pod', 'container', 'configmap'] },
    mode: { enum: ['validate', 'mutate'] },
    data: { type: 'string', pattern: '^[^/\\\\]+\\.(ya?ml|json)$' },
    dataSchema: { type: 'object' },
    prepare: {},
  },
}
