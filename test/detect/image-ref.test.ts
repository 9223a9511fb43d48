import t from 'tap'
import { normaliseImageRef } from '../../src/detect/image-ref.ts'

const digest = 'sha256:9b4b0f2c2e3a6f6f3c1c7c8e0e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b'

const cases: [string, { registry: string; repository: string; tag?: string; digest?: string }][] = [
  ['nginx', { registry: 'docker.io', repository: 'library/nginx' }],
  ['nginx:1.27', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' }],
  ['docker.io/nginx', { registry: 'docker.io', repository: 'library/nginx' }],
  ['index.docker.io/library/nginx:latest', { registry: 'docker.io', repository: 'library/nginx', tag: 'latest' }],
  ['xmrig/xmrig', { registry: 'docker.io', repository: 'xmrig/xmrig' }],
  ['Docker.IO/XMRig/XMRig:6.21.0', { registry: 'docker.io', repository: 'xmrig/xmrig', tag: '6.21.0' }],
  ['registry.k8s.io/kube-proxy:v1.31.0', { registry: 'registry.k8s.io', repository: 'kube-proxy', tag: 'v1.31.0' }],
  ['localhost:5000/tools/miner', { registry: 'localhost:5000', repository: 'tools/miner' }],
  ['localhost/tools', { registry: 'localhost', repository: 'tools' }],
  ['registry.example.com:443/a/b/c:1.0', { registry: 'registry.example.com:443', repository: 'a/b/c', tag: '1.0' }],
  [`xmrig/xmrig@${digest}`, { registry: 'docker.io', repository: 'xmrig/xmrig', digest }],
  [`ghcr.io/org/app:1.2@${digest}`, { registry: 'ghcr.io', repository: 'org/app', tag: '1.2', digest }],
  ['  busybox  ', { registry: 'docker.io', repository: 'library/busybox' }],
]

for (const [reference, expected] of cases) {
  t.test(`"${reference}" is normalised`, async (t) => {
    const { tag, digest: foundDigest, ...rest } = normaliseImageRef(reference)
    t.same(
      { ...rest, ...(tag === undefined ? {} : { tag }), ...(foundDigest === undefined ? {} : { digest: foundDigest }) },
      {
        ...expected,
        name: `${expected.registry}/${expected.repository}`,
      },
    )
  })
}
