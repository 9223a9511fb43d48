// Load generation over HTTPS keep-alive (HTTP/1.1, as the API server talks to a Service),
// with latencies taken by hrtime: sub-millisecond resolution.
import { Pool } from 'undici'

export interface Sample {
  requests: number
  errors: number
  seconds: number
  /** Latencies in microseconds, sorted. */
  latencies: Float64Array
}

/**
 * undici 8 negotiates h2 unless told not to; the API server calls webhooks behind a Service over
 * HTTP/1.1 only (kubernetes/kubernetes#82090, since 1.16), so that is measured unless `http2`.
 */
export function pool(port: number, ca: string, connections: number, http2 = false): Pool {
  return new Pool(`https://127.0.0.1:${port}`, { connections, pipelining: 1, allowH2: http2, connect: { ca, servername: 'localhost' } })
}

async function send(client: Pool, path: string, body: string): Promise<boolean> {
  const response = await client.request({ method: 'POST', path, body, headers: { 'content-type': 'application/json' } })
  const text = await response.body.text()
  return response.statusCode === 200 && text.includes('"uid"')
}

function finish(latencies: number[], requests: number, errors: number, seconds: number): Sample {
  const sorted = Float64Array.from(latencies).sort()
  return { requests, errors, seconds, latencies: sorted }
}

/**
 * Closed loop: `concurrency` clients each send the next request when the last one answers.
 * With several bodies (a mixed corpus), requests take them in turn.
 */
export async function closedLoop(client: Pool, path: string, body: string | readonly string[], concurrency: number, seconds: number): Promise<Sample> {
  const bodies = typeof body === 'string' ? [body] : body
  let next = 0
  const latencies: number[] = []
  let errors = 0
  const start = process.hrtime.bigint()
  const end = start + BigInt(Math.round(seconds * 1e9))
  const worker = async () => {
    while (process.hrtime.bigint() < end) {
      const sent = process.hrtime.bigint()
      const payload = bodies[next++ % bodies.length] as string
      const ok = await send(client, path, payload).catch(() => false)
      latencies.push(Number(process.hrtime.bigint() - sent) / 1000)
      if (!ok) errors += 1
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return finish(latencies, latencies.length, errors, Number(process.hrtime.bigint() - start) / 1e9)
}

/**
 * Open loop: requests leave on a fixed schedule whatever the server does. A 1 ms timer releases
 * every request that is due (no busy-waiting, which would steal a core from the server on this
 * 2-core machine); latency runs from the moment a request is sent.
 */
export async function openLoop(client: Pool, path: string, body: string, rate: number, seconds: number): Promise<Sample> {
  const latencies: number[] = []
  let errors = 0
  const total = Math.round(rate * seconds)
  const start = process.hrtime.bigint()
  const inFlight: Promise<void>[] = []
  let sentCount = 0
  while (sentCount < total) {
    const due = Math.min(total, Math.floor((Number(process.hrtime.bigint() - start) / 1e9) * rate) + 1)
    for (; sentCount < due; sentCount++) {
      const sent = process.hrtime.bigint()
      inFlight.push(
        send(client, path, body)
          .catch(() => false)
          .then((ok) => {
            latencies.push(Number(process.hrtime.bigint() - sent) / 1000)
            if (!ok) errors += 1
          }),
      )
    }
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
  await Promise.all(inFlight)
  return finish(latencies, total, errors, Number(process.hrtime.bigint() - start) / 1e9)
}

export function percentile(sample: Sample, p: number): number {
  if (sample.latencies.length === 0) return Number.NaN
  return sample.latencies[Math.min(sample.latencies.length - 1, Math.floor((p / 100) * sample.latencies.length))] as number
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}
