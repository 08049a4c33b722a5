import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import { clientAddress, isDirectLoopback } from './client-address.ts';

const app = (trustProxy: boolean) => new Hono().get('/', (c) => c.json({ address: clientAddress(c, trustProxy), loopback: isDirectLoopback(c) }));
const ask = async (trustProxy: boolean, remoteAddress: string, headers: Record<string, string> = {}) =>
  (await app(trustProxy).request('/', { headers }, { incoming: { socket: { remoteAddress, remotePort: 1, remoteFamily: 'IPv4' } } })).json();

test('the client address is the peer, or behind a trusted proxy the last X-Forwarded-For entry', async () => {
  assert.deepEqual(await ask(false, '203.0.113.9', { 'X-Forwarded-For': '10.0.0.1' }), { address: '203.0.113.9', loopback: false });
  assert.deepEqual(await ask(true, '127.0.0.1', { 'X-Forwarded-For': 'spoofed, 198.51.100.4' }), { address: '198.51.100.4', loopback: false });
  assert.deepEqual(await ask(true, '127.0.0.1'), { address: '127.0.0.1', loopback: true });
  assert.deepEqual(await ask(false, '::ffff:127.0.0.1'), { address: '::ffff:127.0.0.1', loopback: true });
  assert.equal((await (await app(false).request('/')).json()).address, 'unknown');
});
