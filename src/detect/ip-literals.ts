// IP literals in every spelling a URL parser or inet_aton accepts: `203.0.113.7`, `0xCB007107`,
// `3405803783`, `0313.0.0161.07`, `0xcb.0.0x71.7`, `[::ffff:203.0.113.7]`. Droppers use them to
// reach a server without a name a DNS filter could block, and to slip past a dotted-decimal check.

/** inet_aton's rules: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x); the last part fills the remaining bytes. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.')
  if (parts.length === 0 || parts.length > 4) return undefined
  const values: number[] = []
  for (const part of parts) {
    let value: number
    if (/^0x[0-9a-f]{1,8}$/i.test(part)) value = Number.parseInt(part.slice(2), 16)
    else if (/^0[0-7]{1,11}$/.test(part)) value = Number.parseInt(part, 8)
    else if (/^(?:0|[1-9]\d{0,9})$/.test(part)) value = Number(part)
    else return undefined
    values.push(value)
  }
  const last = values.pop() as number
  if (values.some((value) => value > 255)) return undefined
  const lastBytes = 4 - values.length
  if (last >= 2 ** (8 * lastBytes)) return undefined
  return values.reduce((address, value, index) => address + value * 2 ** (8 * (3 - index)), 0) + last
}

/** An IPv6 literal's embedded IPv4 address (`::ffff:203.0.113.7`, `::ffff:cb00:7107`), if it has one. */
function ipv4InIpv6(text: string): number | undefined {
  const lower = text.toLowerCase()
  const dotted = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower)
  if (dotted !== null) return parseIpv4(dotted[1] as string)
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower)
  if (hex !== null) return Number.parseInt(hex[1] as string, 16) * 65536 + Number.parseInt(hex[2] as string, 16)
  return undefined
}

const RANGES: [number, number][] = [
  [0x00000000, 8], // 0.0.0.0/8, "this network"
  [0x0a000000, 8], // 10.0.0.0/8 (RFC 1918)
  [0x64400000, 10], // 100.64.0.0/10, CGNAT shared address space (RFC 6598)
  [0x7f000000, 8], // 127.0.0.0/8 loopback
  [0xa9fe0000, 16], // 169.254.0.0/16 link-local (cloud metadata)
  [0xac100000, 12], // 172.16.0.0/12 (RFC 1918)
  [0xc0a80000, 16], // 192.168.0.0/16 (RFC 1918)
  [0xe0000000, 3], // 224.0.0.0/3 multicast and reserved
]

/** Loopback, private, CGNAT, link-local and multicast addresses are the cluster's own, not a dropper's server. */
export function isPublicIpv4(address: number): boolean {
  return !RANGES.some(([base, bits]) => Math.floor(address / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)))
}

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.')
}

/** The IPv4 address a URL host or a bare host stands for, in any spelling; undefined for a name. */
export function hostAddress(host: string): number | undefined {
  if (host.startsWith('[') && host.endsWith(']')) return ipv4InIpv6(host.slice(1, -1))
  if (!/^[0-9a-fx.]+$/i.test(host) || !/^(?:\d|0x)/i.test(host)) return undefined
  return parseIpv4(host)
}

// A host after a scheme, after /dev/tcp/, or a bare dotted address followed by a path or port.
const HOSTS =
  /(?:\b(?:https?|ftp|tcp|udp):\/\/(?:[^\s/@'"]*@)?|\/dev\/(?:tcp|udp)\/)(\[[0-9a-fA-F:.]{2,45}\]|[0-9a-fA-FxX.]{1,40})|(?<![\w.:/-])(\d{1,3}(?:\.\d{1,3}){3})(?=[:/][^0-9])/g

/** Reports every public IP literal that `text` downloads from (any base), with its span and its dotted form. */
export function findIpDownloads(text: string, report: (index: number, end: number, dotted: string) => void): void {
  for (const match of text.matchAll(HOSTS)) {
    const host = (match[1] ?? match[2]) as string
    const address = hostAddress(host)
    if (address === undefined || !isPublicIpv4(address)) continue
    report(match.index, match.index + match[0].length, formatIpv4(address))
  }
}
