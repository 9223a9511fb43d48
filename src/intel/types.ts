// Threat intelligence as data: every entry says where it comes from and when, so a denial can
// quote its evidence (`known miner image (Unit 42, 2024-03)`) and a reader can check it.

export interface Provenance {
  /** Who reported it, short enough to quote in a denial: `Unit 42`, `OSV`. */
  source: string
  /** What the report is, for a reader of the intel file. */
  report?: string
  /** When it was reported: `2024`, `2024-03` or `2024-03-14`. */
  date: string
  /** Where to read the report, when it has an address. */
  url?: string
}

/** A repository refused whatever its tag: `docker.io/metal3d/xmrig`. */
export interface ImageEntry extends Provenance {
  name: string
}

/** A publisher whose every image is refused: `docker.io/docker123321`, `ghcr.io/someone`. */
export interface AccountEntry extends Provenance {
  name: string
}

/** One image by content, whatever it is called: a poisoned release pinned by digest. */
export interface DigestEntry extends Provenance {
  digest: string
  /** The repository it was published under, quoted in the denial. */
  name: string
}

/** A mining pool's domain; subdomains match (`xmr-eu1.nanopool.org`). */
export interface PoolEntry extends Provenance {
  domain: string
}

/** A miner program and the names it is renamed to (`xmrig6`, `xmr1g`, `xmrig-notls`). */
export interface ProgramEntry extends Provenance {
  name: string
  variants?: string[]
  /** The name is also an ordinary word (`rigel`, `t-rex`): it counts only beside other signs. */
  ambiguous?: boolean
}

/** Where miner installers are downloaded from: a host, optionally with a path prefix. */
export interface InstallerEntry extends Provenance {
  /** `download.c3pool.org` or `raw.githubusercontent.com/c3pool/xmrig_setup`, lower case. */
  prefix: string
}

/** A package version known to be malicious, as an OSV record names it. */
export interface PackageEntry extends Provenance {
  /** OSV ecosystem: `PyPI`, `npm`, `Go`, `RubyGems`, `crates.io`. */
  ecosystem: string
  name: string
  /** Exact versions; `*` stands for every version (a package published only to attack). */
  versions: string[]
  /** The record's id: `MAL-2024-1234`, `GHSA-...`, or `JACKSTOP-...` for entries curated here. */
  id: string
}

export interface Intel {
  images: ImageEntry[]
  accounts: AccountEntry[]
  digests: DigestEntry[]
  pools: PoolEntry[]
  programs: ProgramEntry[]
  installers: InstallerEntry[]
  packages: PackageEntry[]
}

export const INTEL_LISTS = ['images', 'accounts', 'digests', 'pools', 'programs', 'installers', 'packages'] as const
export type IntelList = (typeof INTEL_LISTS)[number]

export function emptyIntel(): Intel {
  return { images: [], accounts: [], digests: [], pools: [], programs: [], installers: [], packages: [] }
}

/** How a denial cites an entry: `Unit 42, 2024-03`. */
export function citation(entry: Provenance): string {
  return `${entry.source}, ${entry.date}`
}
