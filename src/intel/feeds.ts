// `jackstop intel update`: the feeds listed in `data/intel-feeds.yaml`, read from paths or
// URLs and imported like `jackstop intel import` would. Run by an operator or a CI job that
// commits the result; the webhook never downloads anything.
import { readFile } from 'node:fs/promises'
import { dirname, isAbsolute, join } from 'node:path'
import { Ajv } from 'ajv'
import { parse as parseYaml } from 'yaml'
import { IntelImportError } from '../errors.ts'
import { describeAjvErrors } from '../policy/ajv-errors.ts'
import { type ImportReport, type IntelText, importIntelTexts, readIntelPath } from './import.ts'
import { LIST_KINDS, type ListKind } from './ioc-list.ts'

export interface Feed {
  name: string
  /** A file or directory, relative to the feeds file. */
  path?: string
  /** An http(s) address. */
  url?: string
  format: 'osv' | 'list'
  kind?: ListKind
  source?: string
}

const feedsSchema = {
  type: 'object',
  required: ['feeds'],
  additionalProperties: false,
  properties: {
    feeds: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'format'],
        additionalProperties: false,
        oneOf: [{ required: ['path'] }, { required: ['url'] }],
        properties: {
          name: { type: 'string', minLength: 1 },
          path: { type: 'string', minLength: 1 },
          url: { type: 'string', pattern: '^https?://\\S+$' },
          format: { enum: ['osv', 'list'] },
          kind: { enum: [...LIST_KINDS] },
          source: { type: 'string', minLength: 1, maxLength: 80 },
        },
      },
    },
  },
}
const validateFeeds = new Ajv({ allErrors: true, strict: false }).compile(feedsSchema)

/** A slow feed must not hang a CI job. */
const FETCH_TIMEOUT_MS = 60_000

export type Fetcher = (url: string) => Promise<string>

const fetchText: Fetcher = async (url) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
  if (!response.ok) throw new Error(`HTTP ${response.status}`)
  return response.text()
}

export async function readFeeds(file: string): Promise<Feed[]> {
  let document: unknown
  try {
    document = parseYaml(await readFile(file, 'utf8'))
  } catch (error) {
    throw new IntelImportError(`${file}: ${(error as Error).message.split('\n')[0]}`)
  }
  if (!validateFeeds(document)) throw new IntelImportError(`${file}: ${describeAjvErrors(validateFeeds.errors)}`)
  const feeds = (document as { feeds: Feed[] }).feeds
  const unkind = feeds.find((feed) => feed.format === 'list' && feed.kind === undefined)
  if (unkind !== undefined) throw new IntelImportError(`${file}: feed ${unkind.name} is a list and needs a kind (${LIST_KINDS.join(', ')})`)
  return feeds
}

export interface UpdateReport {
  feed: string
  report: ImportReport
}

export async function updateIntel(options: { policies: string; feeds?: string | undefined }, fetcher: Fetcher = fetchText): Promise<UpdateReport[]> {
  const file = options.feeds ?? join(options.policies, 'data', 'intel-feeds.yaml')
  const reports: UpdateReport[] = []
  for (const feed of await readFeeds(file)) {
    let texts: IntelText[]
    if (feed.url !== undefined) {
      const url = feed.url
      const text = await fetcher(url).catch((error: Error) => {
        throw new IntelImportError(`feed ${feed.name}: ${url}: ${error.message}`)
      })
      texts = [{ name: url, text }]
    } else {
      const path = feed.path as string
      texts = await readIntelPath(isAbsolute(path) ? path : join(dirname(file), path))
    }
    const report = await importIntelTexts(texts, {
      policies: options.policies,
      kind: feed.kind,
      source: feed.source ?? (feed.format === 'osv' ? 'OSV' : feed.name),
    })
    reports.push({ feed: feed.name, report })
  }
  return reports
}
