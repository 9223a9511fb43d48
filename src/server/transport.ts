// The limits the webhook puts on its sockets and TLS. The webhook's Service is reachable from
// every pod in the cluster, so each limit is sized for the one legitimate caller (the API
// server) and bounds what anyone else can hold open.
import type { SecureContextOptions } from 'node:tls'

/** A TLS handshake takes milliseconds; Go's http.Transport (the API server) gives up after 10 s. */
export const TLS_HANDSHAKE_TIMEOUT_MS = 10_000

/**
 * After the handshake, the first request's headers must arrive within this. A socket that sends
 * nothing is otherwise kept forever by Node (issue 10: 700 idle TLS connections held for 131 s);
 * with the handshake limit, a silent connection is closed within 30 s of connecting.
 */
export const FIRST_REQUEST_TIMEOUT_MS = 20_000

/** Headers of any later request, counted from their first byte (Node's slowloris guard). */
export const HEADERS_TIMEOUT_MS = 20_000

/** How often Node checks open requests against the headers and request timeouts. */
export const CONNECTIONS_CHECK_INTERVAL_MS = 5_000

/** The API server abandons a webhook call after timeoutSeconds, at most 30 s: a body still arriving then is useless. */
export const REQUEST_TIMEOUT_MS = 30_000

/**
 * Idle keep-alive connections (and HTTP/2 sessions) stay open longer than the API server's own
 * idle timeout (Go's http.Transport, 90 s), so the client closes them first: a server closing a
 * connection the client is about to reuse costs a failed call and a fresh TLS handshake.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 120_000

/**
 * Open connections per replica. The API servers need a few dozen between them (one per
 * concurrent review); each idle TLS connection costs tens of KB, so this bounds the memory an
 * attacker in a pod can pin. Connections beyond it are closed at once and counted.
 */
export const MAX_CONNECTIONS = 512

/**
 * TLS 1.2 suites with forward secrecy (ECDHE) and authenticated encryption (GCM, ChaCha20-Poly1305)
 * only: no static RSA key exchange, no CBC. These are the ones Go's TLS client (the API server)
 * prefers, and all of them are allowed by HTTP/2 (RFC 7540 appendix A lists the rest as blocked).
 */
export const TLS12_CIPHERS: readonly string[] = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
]

/** Every TLS 1.3 suite is ECDHE + AEAD; listed so the cipher string cannot switch TLS 1.3 off. */
export const TLS13_CIPHERS: readonly string[] = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']

export interface TransportLimits {
  handshakeTimeout: number
  firstRequestTimeout: number
  headersTimeout: number
  connectionsCheckInterval: number
  requestTimeout: number
  keepAliveTimeout: number
  maxConnections: number
}

export const DEFAULT_TRANSPORT_LIMITS: Readonly<TransportLimits> = {
  handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS,
  firstRequestTimeout: FIRST_REQUEST_TIMEOUT_MS,
  headersTimeout: HEADERS_TIMEOUT_MS,
  connectionsCheckInterval: CONNECTIONS_CHECK_INTERVAL_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  maxConnections: MAX_CONNECTIONS,
}

export interface TlsMaterial {
  key: string
  cert: string
  /** Client CA: when set, the API server must present a certificate it signed (mTLS). */
  clientCa?: string | undefined
}

/** The TLS settings of every context the server uses, the first and each reloaded certificate. */
export function secureContextOptions(tls: TlsMaterial): SecureContextOptions & { requestCert?: boolean; rejectUnauthorized?: boolean } {
  return {
    key: tls.key,
    cert: tls.cert,
    minVersion: 'TLSv1.2',
    ciphers: [...TLS13_CIPHERS, ...TLS12_CIPHERS].join(':'),
    honorCipherOrder: true,
    ...(tls.clientCa === undefined ? {} : { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true }),
  }
}
