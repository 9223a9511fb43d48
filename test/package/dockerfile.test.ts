// The image's build stage runs `npm run build` on what it copied: every file the build script
// reads must be copied first. No Docker engine here, so the Dockerfile is read, not built.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'

const root = new URL('../../', import.meta.url).pathname
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8')
const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }

/** The paths the COPY lines of the `build` stage bring in (sources, the last word, left out). */
function copiedInBuildStage(): string[] {
  const stage = dockerfile.split(/^FROM /m).find((part) => /^\S+ AS build$/m.test(part))
  if (stage === undefined) return []
  return stage
    .split('\n')
    .filter((line) => line.startsWith('COPY '))
    .flatMap((line) => line.slice('COPY '.length).trim().split(/\s+/).slice(0, -1))
    .map((path) => path.replace(/^\.\//, '').replace(/\/$/, ''))
}

t.test('the build stage copies every file and folder `npm run build` reads', async (t) => {
  const copied = copiedInBuildStage()
  t.ok(copied.length > 0, 'the Dockerfile has a build stage with COPY lines')
  const read = [...`${scripts.prebuild} ${scripts.build}`.matchAll(/(?:-p |node )(\S+\.(?:json|ts))/g)].map((match) => match[1] as string)
  t.ok(read.includes('tsconfig.api.json'), 'the build script names the API declarations config')
  for (const file of read) {
    const covered = copied.some((path) => file === path || file.startsWith(`${path}/`))
    t.ok(covered, `${file} is copied before npm run build`)
  }
})
