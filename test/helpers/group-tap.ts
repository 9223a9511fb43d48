// What `import t from 'tap'` gives a test file that runs inside a group (./groups.ts): the
// subtest standing for that file. The file's name arrives in this module's URL, so each file
// gets its own instance of this module.
import { fileTest } from './groups.ts'

export * from 'tap'

const file = new URL(import.meta.url).searchParams.get('file') ?? ''
export default fileTest(file)
