import t from 'tap'
import { dashboardManagedDoors } from '../../src/hardening/dashboard-managed.ts'
import type { Snapshot } from '../../src/hardening/snapshot.ts'
import type { KubeObject } from '../../src/workloads/kubernetes.ts'

// Objects arrive as JSON: managedFields times are strings, not the client library's Dates.
const written = (kind: string, name: string, managers: { manager?: string; time?: string }[]): KubeObject =>
  ({
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace: 'shop', managedFields: managers.map((entry) => ({ operation: 'Update', apiVersion: 'apps/v1', ...entry })) },
  }) as unknown as KubeObject

const snapshotOf = (workloads: KubeObject[]) => ({ workloads }) as Snapshot

// Field managers as the API server records them, and whether scan reports the workload.
const managers: [string, boolean][] = [
  ['dashboard', true],
  ['dashboard-api', true],
  ['headlamp', true],
  ['centraldashboard', true],
  ['argocd-server', true],
  ['kubeapps', true],
  ['octant', true],
  ['Mozilla', true],
  ['kubectl-client-side-apply', false],
  ['kubectl-create', false],
  ['helm', false],
  ['argocd-controller', false],
  ['kube-controller-manager', false],
  ['flux-client-side-apply', false],
]

for (const [manager, reported] of managers) {
  t.test(`a workload whose field manager is ${manager} is ${reported ? 'reported' : 'not reported'}`, async (t) => {
    t.equal(dashboardManagedDoors(snapshotOf([written('Deployment', 'web', [{ manager: 'helm' }, { manager }])])).length, reported ? 1 : 0)
  })
}

t.test('the report names the dashboard, the time and the managedFields entry', async (t) => {
  const found = dashboardManagedDoors(
    snapshotOf([
      written('Deployment', 'miner', [{ manager: 'dashboard', time: '2018-02-01T10:00:00Z' }]),
      written('Pod', 'plain', [{}]),
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { managedFields: [{ manager: 'Mozilla' }] } } as unknown as KubeObject,
    ]),
  )
  t.same(
    found.map((object) => ({ kind: object.kind, name: object.name, findings: object.findings })),
    [
      {
        kind: 'Deployment',
        name: 'miner',
        findings: [
          {
            policy: 'dashboard-managed-workload',
            action: 'warn',
            severity: 'high',
            path: 'metadata.managedFields[0].manager',
            message:
              "Deployment shop/miner was written by the Kubernetes Dashboard (its binary, and so its User-Agent, is named dashboard) at 2018-02-01T10:00:00Z. Attack: miners started through an open dashboard look like this: its own account, or anyone past its login, created the workload. Fix: check the API server's audit log for who used the dashboard then; ship workloads from your pipeline, and let dashboards act only with their users' own tokens (dashboard-managed-workload)",
          },
        ],
      },
      {
        kind: 'Pod',
        name: '',
        findings: [
          {
            policy: 'dashboard-managed-workload',
            action: 'warn',
            severity: 'high',
            path: 'metadata.managedFields[0].manager',
            message:
              "Pod / was written by a web browser: a web UI passed the user's browser User-Agent through. Attack: miners started through an open dashboard look like this: its own account, or anyone past its login, created the workload. Fix: check the API server's audit log for who used the dashboard then; ship workloads from your pipeline, and let dashboards act only with their users' own tokens (dashboard-managed-workload)",
          },
        ],
      },
    ],
  )
})
