// Issue 12's capability table: the baseline set, what passed silently, and the dangerous set in
// every spelling the runtime accepts. Shared with scripts/count-admitted.ts.

export interface CapabilityCase {
  capability: string
  expect: 'deny' | 'warn' | 'allow'
}

const DANGEROUS = ['SYS_ADMIN', 'SYS_PTRACE', 'SYS_MODULE', 'NET_ADMIN', 'BPF', 'PERFMON', 'DAC_READ_SEARCH', 'SYS_RAWIO', 'SYS_BOOT', 'ALL']
const spellings = (name: string) => [name, `CAP_${name}`, name.toLowerCase(), `cap_${name.toLowerCase()}`, `Cap_${name[0]}${name.slice(1).toLowerCase()}`]

export const CAPABILITY_CASES: CapabilityCase[] = [
  ...DANGEROUS.flatMap((name) => spellings(name).map((capability): CapabilityCase => ({ capability, expect: 'deny' }))),
  ...['MAC_ADMIN', 'MAC_OVERRIDE', 'SYSLOG'].map((capability): CapabilityCase => ({ capability, expect: 'deny' })),
  // Passed silently before issue 12.
  ...[
    'NET_RAW',
    'SYS_NICE',
    'SYS_RESOURCE',
    'IPC_LOCK',
    'SYS_TIME',
    'LINUX_IMMUTABLE',
    'CHECKPOINT_RESTORE',
    'SYS_PACCT',
    'SYS_TTY_CONFIG',
    'LEASE',
    'WAKE_ALARM',
    'BLOCK_SUSPEND',
    'AUDIT_CONTROL',
    'AUDIT_READ',
    'IPC_OWNER',
    'NET_BROADCAST',
    'SETFCAP_X',
  ].map((capability): CapabilityCase => ({ capability, expect: 'warn' })),
  // Pod Security compares exactly: these spellings of baseline capabilities fail its check.
  ...['CAP_CHOWN', 'chown', 'cap_net_bind_service'].map((capability): CapabilityCase => ({ capability, expect: 'warn' })),
  // Pod Security baseline's set.
  ...[
    'AUDIT_WRITE',
    'CHOWN',
    'DAC_OVERRIDE',
    'FOWNER',
    'FSETID',
    'KILL',
    'MKNOD',
    'NET_BIND_SERVICE',
    'SETFCAP',
    'SETGID',
    'SETPCAP',
    'SETUID',
    'SYS_CHROOT',
  ].map((capability): CapabilityCase => ({ capability, expect: 'allow' })),
]
