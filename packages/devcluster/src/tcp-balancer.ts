import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

/**
 * What a Kubernetes Service does for the OCPP port, on loopback: new connections go round-robin to the backends
 * in rotation; taking a backend out of rotation (its pod is terminating or not ready) leaves the connections it
 * already has alone, as kube-proxy does.
 */
export class TcpBalancer {
  private readonly server: Server = createServer((socket) => this.route(socket));
  private readonly backends = new Map<string, number>();
  private readonly open = new Set<Socket>();
  private turn = 0;
  port = 0;

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  /** Puts a backend (a local port) in rotation. */
  add(name: string, port: number): void {
    this.backends.set(name, port);
  }

  /** Takes a backend out of rotation for new connections. */
  remove(name: string): void {
    this.backends.delete(name);
  }

  private route(client: Socket): void {
    const ports = [...this.backends.values()];
    if (ports.length === 0) {
      client.destroy();
      return;
    }
    const port = ports[this.turn++ % ports.length] as number;
    const upstream = tcpConnect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      this.open.add(socket);
      socket.setNoDelay(true);
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      socket.on('close', () => {
        this.open.delete(socket);
        (socket === client ? upstream : client).end();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }

  async stop(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
