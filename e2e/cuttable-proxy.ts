// A TCP proxy between the browser and the server that can cut the network: every open
// connection is reset and new ones are refused until it is restored. Chromium's offline
// emulation (context.setOffline) fails fetches but leaves open websockets working
// (microsoft/playwright#4910), so a real cut is made here, below the browser.
import net from "node:net";

export class CuttableProxy {
  private readonly open = new Set<net.Socket>();
  private cut = false;
  /** Where new connections go (retarget: a balancer's health check moving to another server). */
  private target = 0;

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<CuttableProxy> {
    let proxy: CuttableProxy | null = null;
    const server = net.createServer((client) => {
      if (!proxy || proxy.cut) return client.resetAndDestroy();
      const upstream = net.connect(proxy.target, "127.0.0.1");
      for (const s of [client, upstream]) {
        proxy.open.add(s);
        s.on("close", () => proxy?.open.delete(s));
        s.on("error", () => undefined);
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    proxy = new CuttableProxy(server, (server.address() as net.AddressInfo).port);
    proxy.target = targetPort;
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The network is gone: open connections are reset, new ones refused. */
  cutOff(): void {
    this.cut = true;
    for (const s of this.open) s.resetAndDestroy();
  }

  restore(): void {
    this.cut = false;
  }

  /** New connections go to `port` from now on; open ones stay where they are. */
  retarget(port: number): void {
    this.target = port;
  }

  async close(): Promise<void> {
    this.cutOff();
    await new Promise((r) => this.server.close(r));
  }
}
