import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import { loadConfig } from '../config.ts';
import { clientAddress } from './client-address.ts';

const app = (hops: number) => new Hono().get('/', (c) => c.text(clientAddress(c, hops)));
const ask = async (hops: number, remoteAddress: string, forwardedFor?: string) =>
  (await app(hops).request('/', { headers: forwardedFor === undefined ? {} : { 'X-Forwarded-For': forwardedFor } }, { incoming: { socket: { remoteAddress, remotePort: 1, remoteFamily: 'IPv4' } } })).text();

test('TRUST_PROXY is a number of proxy hops; on and off still mean 1 and 0', () => {
  const hops = (v?: string) => loadConfig(v === undefined ? {} : { TRUST_PROXY: v }).trustProxyHops;
  assert.deepEqual([hops(), hops('off'), hops('on'), hops('0'), hops('1'), hops('2')], [0, 0, 1, 0, 1, 2]);
  assert.throws(() => loadConfig({ TRUST_PROXY: 'yes' }), /TRUST_PROXY: .*number of proxies/);
  assert.throws(() => loadConfig({ TRUST_PROXY: '-1' }), /TRUST_PROXY/);
});

test('the client address is the peer, or the X-Forwarded-For entry as many hops from the right as there are trusted proxies', async () => {
  assert.equal(await ask(0, '203.0.113.9', '10.0.0.1'), '203.0.113.9', 'no proxy trusted: the header is ignored');
  assert.equal(await ask(1, '127.0.0.1', 'spoofed, 198.51.100.4'), '198.51.100.4', 'one proxy: the address it appended');
  assert.equal(await ask(2, '127.0.0.1', 'spoofed, 198.51.100.4, 203.0.113.50'), '198.51.100.4', 'two proxies: the address the outer one saw');
  assert.equal(await ask(2, '127.0.0.1', '198.51.100.4'), '198.51.100.4', 'fewer entries than proxies: the farthest one known');
  assert.equal(await ask(1, '127.0.0.1', ' , 198.51.100.4 ,'), '198.51.100.4', 'empty entries are not hops');
  assert.equal(await ask(1, '127.0.0.1', '[2001:db8::7]:443'), '2001:db8::7', 'a bracketed address with a port');
  assert.equal(await ask(1, '127.0.0.1', '198.51.100.4:5123'), '198.51.100.4');
  assert.equal(await ask(1, '127.0.0.1', 'not-an-address'), '127.0.0.1', 'what a proxy never writes: the peer');
  assert.equal(await ask(1, '127.0.0.1'), '127.0.0.1', 'no header: the peer');
  assert.equal(await ask(0, '::ffff:127.0.0.1'), '::ffff:127.0.0.1');
  assert.equal(await (await app(0).request('/')).text(), 'unknown');
});
