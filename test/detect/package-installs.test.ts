// Every installer form an attacker can use at start-up is read, with the exact version.
import t from 'tap'
import { compilePackageIndex } from '../../src/detect/malicious-packages.ts'
import { packageInstalls } from '../../src/detect/package-installs.ts'
import { evaluate } from '../../src/engine/evaluate.ts'
import { defaultPolicies } from '../helpers/server.ts'

const forms: [string, { ecosystem: string; name: string; version: string | undefined }[]][] = [
  ['pip install ultralytics==8.3.41', [{ ecosystem: 'PyPI', name: 'ultralytics', version: '8.3.41' }]],
  [
    'pip3 install --no-cache-dir -U "ultralytics==8.3.41" requests',
    [
      { ecosystem: 'PyPI', name: 'ultralytics', version: '8.3.41' },
      { ecosystem: 'PyPI', name: 'requests', version: undefined },
    ],
  ],
  [
    '/usr/local/bin/pip3.11 install -i https://pypi.example/simple ultralytics[export]===8.3.42',
    [{ ecosystem: 'PyPI', name: 'ultralytics', version: '8.3.42' }],
  ],
  ['python3 -m pip install Ultralytics==8.3.45 && python app.py', [{ ecosystem: 'PyPI', name: 'Ultralytics', version: '8.3.45' }]],
  ['uv pip install ultralytics==8.3.46', [{ ecosystem: 'PyPI', name: 'ultralytics', version: '8.3.46' }]],
  ['npm i @rspack/core@1.1.7', [{ ecosystem: 'npm', name: '@rspack/core', version: '1.1.7' }]],
  ['npm install --save left-pad@^1.3.0', [{ ecosystem: 'npm', name: 'left-pad', version: undefined }]],
  ['yarn add @rspack/cli@1.1.7', [{ ecosystem: 'npm', name: '@rspack/cli', version: '1.1.7' }]],
  ['pnpm add @rspack/core@v1.1.7', [{ ecosystem: 'npm', name: '@rspack/core', version: '1.1.7' }]],
  ['npx some-tool@2.0.0 --port 8080 other', [{ ecosystem: 'npm', name: 'some-tool', version: '2.0.0' }]],
  ['go install github.com/evil/tool/cmd/tool@v0.1.2', [{ ecosystem: 'Go', name: 'github.com/evil/tool/cmd/tool', version: 'v0.1.2' }]],
  ['gem install rest-client -v 1.6.13', [{ ecosystem: 'RubyGems', name: 'rest-client', version: '1.6.13' }]],
  ['gem install rest-client:1.6.13', [{ ecosystem: 'RubyGems', name: 'rest-client', version: '1.6.13' }]],
  ['cargo install evil --version=0.1.0', [{ ecosystem: 'crates.io', name: 'evil', version: '0.1.0' }]],
  [
    'pip install requests; npm i x@1.0.0 | tee log',
    [
      { ecosystem: 'PyPI', name: 'requests', version: undefined },
      { ecosystem: 'npm', name: 'x', version: '1.0.0' },
    ],
  ],
  ['pip download ultralytics==8.3.41', []],
  ['pipx install black==24.1.0', [{ ecosystem: 'PyPI', name: 'black', version: '24.1.0' }]],
  [
    'uv add requests==2.32.0 && uv tool install ruff==0.5.0',
    [
      { ecosystem: 'PyPI', name: 'requests', version: '2.32.0' },
      { ecosystem: 'PyPI', name: 'ruff', version: '0.5.0' },
    ],
  ],
  ['uv pip sync requirements.txt; uv run x; python -m venv v; python -m pip list', []],
  [
    'uvx --with a==1,b@2 c@3 d@4; uv run --with e -- f g@5',
    [
      { ecosystem: 'PyPI', name: 'a', version: '1' },
      { ecosystem: 'PyPI', name: 'b', version: '2' },
      { ecosystem: 'PyPI', name: 'c', version: '3' },
      { ecosystem: 'PyPI', name: 'e', version: undefined },
    ],
  ],
  [
    'pip install x@https://h.example/x.whl; go install -v example.com/m@v1.0.0; uvx --from',
    [
      { ecosystem: 'PyPI', name: 'x', version: undefined },
      { ecosystem: 'Go', name: 'example.com/m', version: 'v1.0.0' },
    ],
  ],
  [
    'pip install ./local-dir "x==" "y==1;python_version>3"',
    [
      { ecosystem: 'PyPI', name: 'x', version: undefined },
      { ecosystem: 'PyPI', name: 'y', version: '1' },
    ],
  ],
  [
    'npm add a@1.0.0; npm isntall b@2.0.0; npm i ./local c@latest',
    [
      { ecosystem: 'npm', name: 'a', version: '1.0.0' },
      { ecosystem: 'npm', name: 'b', version: '2.0.0' },
      { ecosystem: 'npm', name: 'c', version: undefined },
    ],
  ],
  ['bunx cowsay@1.6.0 hi; npx', [{ ecosystem: 'npm', name: 'cowsay', version: '1.6.0' }]],
  [
    'yarn global add g@1.0.0; bun add h@1.0.0; pnpm install i@1.0.0; bun i j@1.0.0; pnpm dlx k@1.0.0 arg',
    [
      { ecosystem: 'npm', name: 'g', version: '1.0.0' },
      { ecosystem: 'npm', name: 'h', version: '1.0.0' },
      { ecosystem: 'npm', name: 'i', version: '1.0.0' },
      { ecosystem: 'npm', name: 'j', version: '1.0.0' },
      { ecosystem: 'npm', name: 'k', version: '1.0.0' },
    ],
  ],
  [
    'go get example.com/m@v1.0.0; go run example.com/n@v2.0.0; go install %%@v1',
    [
      { ecosystem: 'Go', name: 'example.com/m', version: 'v1.0.0' },
      { ecosystem: 'Go', name: 'example.com/n', version: 'v2.0.0' },
    ],
  ],
  [
    'gem install a b -v',
    [
      { ecosystem: 'RubyGems', name: 'a', version: undefined },
      { ecosystem: 'RubyGems', name: 'b', version: undefined },
    ],
  ],
  ['cargo install tool', [{ ecosystem: 'crates.io', name: 'tool', version: undefined }]],
  ['npm i plain', [{ ecosystem: 'npm', name: 'plain', version: undefined }]],
  ['uv run --with; pip install x==1', [{ ecosystem: 'PyPI', name: 'x', version: '1' }]],
  [
    'npx --package= -p; npm x --PACKAGE=A@1.0.0 -- a',
    [
      { ecosystem: 'npm', name: 'A', version: '1.0.0' },
      { ecosystem: 'npm', name: 'a', version: undefined },
    ],
  ],
  [
    'npm i x@npm:y@npm:z@1.0.0 w@NPM:@s/v@2.0.0',
    [
      { ecosystem: 'npm', name: 'y', version: undefined },
      { ecosystem: 'npm', name: '@s/v', version: '2.0.0' },
    ],
  ],
  ['', []],
  ['echo pip', []],
]

for (const [text, expected] of forms) {
  t.test(`reads "${text}"`, async (t) => {
    t.same(packageInstalls(text), expected)
  })
}

t.test('a Go module matches the command path installed from it, with or without the v prefix', async (t) => {
  const lookup = compilePackageIndex([{ ecosystem: 'Go', name: 'github.com/evil/tool', versions: ['0.1.2'], id: 'MAL-0', source: 'Test', date: '2025' }])
  t.equal(lookup({ ecosystem: 'Go', name: 'github.com/evil/tool/cmd/tool', version: 'v0.1.2' })?.id, 'MAL-0')
  t.equal(lookup({ ecosystem: 'Go', name: 'github.com/evil/tool', version: 'v0.1.3' }), undefined)
})

t.test('an entry for every version (*) matches an install without a version', async (t) => {
  const lookup = compilePackageIndex([{ ecosystem: 'PyPI', name: 'evil_pkg', versions: ['*'], id: 'MAL-1', source: 'Test', date: '2025' }])
  t.equal(lookup({ ecosystem: 'PyPI', name: 'Evil.Pkg', version: undefined })?.id, 'MAL-1')
})

const policySet = await defaultPolicies()
function packageFindings(container: Record<string, unknown>): string[] {
  const object = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns' },
    spec: { containers: [{ name: 'c', image: 'python:3.12', ...container }] },
  }
  return evaluate({ object }, policySet)
    .findings.filter((finding) => finding.policy === 'malicious-packages')
    .map((finding) => finding.message)
}

t.test('a container that installs a poisoned release at start-up is refused, naming the record', async (t) => {
  t.same(packageFindings({ command: ['pip', 'install', 'ultralytics==8.3.41'] }), [
    'spec.containers[0] "c": installs ultralytics 8.3.41 (PyPI), a known-malicious package version (JACKSTOP-2024-0001; Safety CLI, 2024-12) (malicious-packages)',
  ])
  t.same(packageFindings({ command: ['sh', '-c'], args: ['npm i -g @rspack/core@1.1.7 && node server.js'] }).length, 1)
  t.same(packageFindings({ env: [{ name: 'SETUP', value: 'python -m pip install ultralytics==8.3.46' }] }).length, 1)
})

t.test(
  'an installer spelt in capitals or by its path is still read: the shell runs PIP on a case-insensitive file system, and /usr/local/bin/Pip3 as named',
  async (t) => {
    for (const command of [
      'PIP install ultralytics==8.3.41',
      '/usr/local/bin/Pip3 install ultralytics==8.3.41',
      'Python3 -m PIP install ultralytics==8.3.41',
    ]) {
      t.same(packageFindings({ command: ['sh', '-c', command] }).length, 1, command)
    }
    t.same(packageFindings({ command: ['sh', '-c', 'NPM i -g @rspack/core@1.1.7'] }).length, 1)
  },
)

t.test('the same package at a clean version is admitted', async (t) => {
  t.same(packageFindings({ command: ['pip', 'install', 'ultralytics==8.3.43'] }), [])
  t.same(packageFindings({ command: ['npm', 'i', '@rspack/core@1.1.8'] }), [])
})
