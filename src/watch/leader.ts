// Leader election through a coordination.k8s.io Lease, as client-go's leaderelection does: the
// holder renews it; another replica takes it over only once it has not been renewed for its
// whole duration. Writes go with the resourceVersion read, so two replicas racing for an expired
// Lease get one 200 and one 409: one leader, and only the leader remediates.
import { type CoordinationV1Api, V1MicroTime } from '@kubernetes/client-node'

export interface LeaderOptions {
  namespace: string
  name: string
  identity: string
  leaseDurationSeconds: number
  /** How often to renew (as leader) or to try (as follower). */
  retryMs: number
}

interface LeaseSpec {
  holderIdentity?: string | null
  leaseDurationSeconds?: number
  acquireTime?: Date
  renewTime?: Date
  leaseTransitions?: number
}

interface Lease {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string }
  spec?: LeaseSpec
}

const codeOf = (error: unknown) => (error as { code?: number }).code

export class LeaderElector {
  leading = false
  private readonly api: CoordinationV1Api
  private readonly options: LeaderOptions
  private readonly changed: (leading: boolean) => void
  private readonly trouble: (message: string) => void
  private timer: NodeJS.Timeout | undefined
  private stopped = false
  private round: Promise<void> | undefined
  private observed = ''
  private observedAt = 0
  private renewedAt = 0

  constructor(api: CoordinationV1Api, options: LeaderOptions, changed: (leading: boolean) => void, trouble: (message: string) => void) {
    this.api = api
    this.options = options
    this.changed = changed
    this.trouble = trouble
  }

  start(): void {
    const tick = async () => {
      this.round = this.attempt()
      await this.round
      if (!this.stopped) this.timer = setTimeout(tick, this.options.retryMs)
    }
    void tick()
  }

  /** Stops renewing and, as leader, releases the Lease so a successor need not wait it out. */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.round
    if (!this.leading) return
    this.set(false)
    try {
      const lease = await this.read()
      if (lease?.spec?.holderIdentity !== this.options.identity) return
      await this.write({ ...lease, spec: { ...lease.spec, holderIdentity: null, leaseDurationSeconds: 1, renewTime: new V1MicroTime() } })
    } catch (error) {
      this.trouble(`cannot release the Lease: ${(error as Error).message}`)
    }
  }

  private set(leading: boolean): void {
    if (leading === this.leading) return
    this.leading = leading
    this.changed(leading)
  }

  private async read(): Promise<Lease | undefined> {
    try {
      return (await this.api.readNamespacedLease({ name: this.options.name, namespace: this.options.namespace })) as Lease
    } catch (error) {
      if (codeOf(error) === 404) return undefined
      throw error
    }
  }

  private async write(lease: Lease): Promise<void> {
    const { name, namespace } = this.options
    await this.api.replaceNamespacedLease({ name, namespace, body: { ...lease, metadata: { ...lease.metadata, name, namespace } } as never })
  }

  private async attempt(): Promise<void> {
    const { identity, leaseDurationSeconds, name, namespace } = this.options
    const now = new V1MicroTime()
    try {
      const lease = await this.read()
      if (lease === undefined) {
        const spec = { holderIdentity: identity, leaseDurationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 }
        await this.api.createNamespacedLease({ namespace, body: { metadata: { name, namespace }, spec } })
        this.renewedAt = Date.now()
        this.set(true)
        return
      }
      const spec = lease.spec ?? {}
      const holder = spec.holderIdentity ?? ''
      // Expiry is judged on our own clock, from when we last saw the Lease change (clocks skew).
      const seen = `${holder}|${String(spec.renewTime)}`
      if (seen !== this.observed) {
        this.observed = seen
        this.observedAt = Date.now()
      }
      const expired = holder === '' || Date.now() - this.observedAt > (spec.leaseDurationSeconds ?? leaseDurationSeconds) * 1000
      if (holder !== identity && !expired) {
        this.set(false)
        return
      }
      const taking = holder !== identity
      await this.write({
        ...lease,
        spec: {
          ...spec,
          holderIdentity: identity,
          leaseDurationSeconds,
          renewTime: now,
          ...(taking ? { acquireTime: now, leaseTransitions: (spec.leaseTransitions ?? 0) + 1 } : {}),
        },
      })
      this.renewedAt = Date.now()
      this.set(true)
    } catch (error) {
      // 409: someone else wrote first. Anything else: retry, and keep leading only while no one
      // else could have taken over (two thirds of the duration, as client-go's renew deadline).
      if (codeOf(error) !== 409) this.trouble(`Lease ${namespace}/${name}: ${(error as Error).message}`)
      if (codeOf(error) === 409 || Date.now() - this.renewedAt > (leaseDurationSeconds * 1000 * 2) / 3) this.set(false)
    }
  }
}
