import net from 'node:net';

export interface Backend {
  host: string;
  port: number;
}

export interface LoadBalancer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A development load balancer: round robin per TCP connection, so HTTP and WebSocket upgrades
 * pass through untouched. A backend that refuses the connection is skipped for that
 * connection (the next one is tried), so a dead node costs clients nothing but a retry.
 * Enough for clients on WebSocket-only transport (the SDK's), which need no sticky sessions;
 * HTTP long-polling would.
 */
export async function startLoadBalancer({ backends, port, host = '127.0.0.1' }: { backends: Backend[]; port: number; host?: string }): Promise<LoadBalancer> {
  if (backends.length === 0) throw new Error('load balancer: no backends');
  let next = 0;
  const open = new Set<net.Socket>();

  function connectTo(client: net.Socket, attempt: number) {
    if (attempt >= backends.length || client.destroyed) return void client.destroy();
    const backend = backends[next];
    next = (next + 1) % backends.length;
    const upstream = net.connect(backend.port, backend.host);
    open.add(upstream);
    upstream.once('close', () => open.delete(upstream));
    let connected = false;
    upstream.once('error', () => {
      if (!connected) return connectTo(client, attempt + 1); // refused: nothing was sent yet, try the next node
      client.destroy();
    });
    upstream.once('connect', () => {
      connected = true;
      client.pipe(upstream).pipe(client);
      client.resume();
      client.once('error', () => upstream.destroy());
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
    });
  }

  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    connectTo(client, 0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as net.AddressInfo).port;
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
