// The bench's webhook sender: posts the bodies with the verification token, reports each status, counts failures.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { benchVerificationToken } from '../support/services.js';
import { sendAtRate, WebhookSender } from './sender.js';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function receiver(
  answer: (body: string) => number,
): Promise<{ url: string; bodies: string[]; tokens: string[]; connections: () => number }> {
  let connections = 0;
  const bodies: string[] = [];
  const tokens: string[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      bodies.push(body);
      tokens.push(String(request.headers['verification-token']));
      response.statusCode = answer(body);
      response.end('{}');
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies, tokens, connections: () => connections };
}

describe('WebhookSender', () => {
  it('posts every body with the token and resolves with the status', async () => {
    const server = await receiver((body) => (body.includes('bad') ? 400 : 200));
    const sender = new WebhookSender(server.url, 4);
    const items = Array.from({ length: 50 }, (_, i) => JSON.stringify({ i, note: i === 7 ? 'bad' : 'ok' }));
    const statuses: number[] = [];
    const { seconds } = await sendAtRate(items, 5000, async (body, index) => {
      statuses[index] = await sender.send(body);
    });
    sender.close();
    expect(seconds).toBeGreaterThan(0);
    expect([...server.bodies].sort()).toEqual([...items].sort());
    expect(new Set(server.tokens)).toEqual(new Set([benchVerificationToken]));
    expect(statuses.filter((status) => status === 200)).toHaveLength(49);
    expect(statuses[7]).toBe(400);
    expect(sender.failures).toBe(1);
    expect(sender.lastError).toBe('status 400');
  });

  it('opens all its connections before sending, and sends on them', async () => {
    const server = await receiver(() => 200);
    const sender = new WebhookSender(server.url, 16);
    await sender.open();
    expect(server.connections()).toBe(16);
    expect(server.bodies).toHaveLength(16); // the GETs, with empty bodies
    await Promise.all(Array.from({ length: 40 }, (_, i) => sender.send(String(i))));
    expect(server.connections()).toBe(16);
    sender.close();
  });

  it('fails to open when the server does not answer 200', async () => {
    const server = await receiver(() => 503);
    const sender = new WebhookSender(server.url, 3);
    await expect(sender.open()).rejects.toThrow('3 of 3 connections did not open: status 503');
    sender.close();
  });

  it('resolves 0 and counts a failure when nothing listens', async () => {
    const server = await receiver(() => 200);
    const url = server.url;
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const sender = new WebhookSender(url, 1);
    expect(await sender.send('{}')).toBe(0);
    sender.close();
    expect(sender.failures).toBe(1);
    expect(sender.lastError).toMatch(/ECONNREFUSED/);
  });
});
