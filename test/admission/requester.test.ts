import t from 'tap'
import { describeRequester, requesterOf } from '../../src/admission/requester.ts'
import type { UserInfo } from '../../src/admission/types.ts'

const cases: [string, UserInfo | undefined, ReturnType<typeof requesterOf>][] = [
  ['no userInfo', undefined, undefined],
  ['a userInfo without a username', { groups: ['system:authenticated'] }, undefined],
  ['a user', { username: 'alice', groups: ['dev'] }, { username: 'alice', groups: ['dev'], serviceAccount: undefined, viaController: false }],
  [
    'a service account',
    { username: 'system:serviceaccount:ci:deployer', groups: ['system:serviceaccounts'] },
    { username: 'system:serviceaccount:ci:deployer', groups: ['system:serviceaccounts'], serviceAccount: 'ci:deployer', viaController: false },
  ],
  [
    'a malformed service account name',
    { username: 'system:serviceaccount:ci:deployer:extra' },
    { username: 'system:serviceaccount:ci:deployer:extra', groups: [], serviceAccount: undefined, viaController: false },
  ],
  [
    'an empty namespace',
    { username: 'system:serviceaccount::x' },
    { username: 'system:serviceaccount::x', groups: [], serviceAccount: undefined, viaController: false },
  ],
  [
    'an empty account name',
    { username: 'system:serviceaccount:ci:' },
    { username: 'system:serviceaccount:ci:', groups: [], serviceAccount: undefined, viaController: false },
  ],
  [
    'the ReplicaSet controller',
    { username: 'system:serviceaccount:kube-system:replicaset-controller' },
    {
      username: 'system:serviceaccount:kube-system:replicaset-controller',
      groups: [],
      serviceAccount: 'kube-system:replicaset-controller',
      viaController: true,
    },
  ],
  [
    'an account named like a controller outside kube-system',
    { username: 'system:serviceaccount:attacker:replicaset-controller' },
    { username: 'system:serviceaccount:attacker:replicaset-controller', groups: [], serviceAccount: 'attacker:replicaset-controller', viaController: false },
  ],
  [
    'the controller manager',
    { username: 'system:kube-controller-manager' },
    { username: 'system:kube-controller-manager', groups: [], serviceAccount: undefined, viaController: true },
  ],
  [
    'groups that are not strings',
    { username: 'bob', groups: ['dev', 7 as unknown as string] },
    { username: 'bob', groups: ['dev'], serviceAccount: undefined, viaController: false },
  ],
]

for (const [name, userInfo, expected] of cases) {
  t.test(`${name} is read as ${expected === undefined ? 'nobody asking' : expected.username}`, async (t) => {
    t.same(requesterOf(userInfo), expected)
  })
}

t.test('a controller is named as acting for its owner', async (t) => {
  t.equal(
    describeRequester(requesterOf({ username: 'system:serviceaccount:kube-system:job-controller' }) as NonNullable<ReturnType<typeof requesterOf>>),
    "system:serviceaccount:kube-system:job-controller (a controller acting for its owner's creator)",
  )
})
