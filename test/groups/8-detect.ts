// One process for the test files of this group (test/helpers/groups.ts says which).
import { runGroup } from '../helpers/groups.ts'

await runGroup(import.meta.url)
