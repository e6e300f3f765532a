import net from 'node:net';

/** A TCP proxy in front of a server whose live connections a test can cut, as a network failure would. */
export interface TcpProxy {
  readonly url: string;
  /** Destroys every open connection (both sides) at once. */
  cutAll(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const { hostname, port } = new URL(target);
  const pairs = new Set<[net.Socket, net.Socket]>();
  const server = net.createServer((incoming) => {
    const outgoing = net.connect(Number(port), hostname);
    const pair: [net.Socket, net.Socket] = [incoming, outgoing];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      incoming.destroy();
      outgoing.destroy();
    };
    incoming.on('error', end).on('close', end);
    outgoing.on('error', end).on('close', end);
    incoming.pipe(outgoing).pipe(incoming);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    cutAll() {
      const count = pairs.size;
      for (const [incoming, outgoing] of [...pairs]) {
        incoming.destroy();
        outgoing.destroy();
      }
      return count;
    },
    close() {
      for (const [incoming, outgoing] of pairs) {
        incoming.destroy();
        outgoing.destroy();
      }
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
