// tap's coverage-map (package.json): which group processes collect coverage. `[]` means all
// sources, null means none. Two groups run without it:
// - 1-package: its work happens in npm, tsc and the installed binary, child processes that run
//   without tap's hooks; the group's own process loads no source;
// - 3-linear-time: it times scanners on large inputs, and coverage counters slow exactly the code
//   it times (+25% CPU for the group); every line it runs is covered by the other groups.
const WITHOUT_COVERAGE = new Set(['test/groups/1-package.ts', 'test/groups/3-linear-time.ts'])

export default function coverageMap(testFile: string): string[] | null {
  return WITHOUT_COVERAGE.has(testFile.split('\\').join('/')) ? null : []
}
