import type { JsonRpcMessage } from "../protocol/jsonrpc.js";
import type { Transport, TransportSink } from "../protocol/transport.js";

/**
 * Two linked in-process transports, for tests. Messages are serialized through JSON
 * so a test sees exactly what would cross a real wire.
 */
export function createMemoryTransportPair(): [Transport, Transport] {
  const a = new MemoryTransport();
  const b = new MemoryTransport();
  a.other = b;
  b.other = a;
  return [a, b];
}

class MemoryTransport implements Transport {
  other?: MemoryTransport;
  private sink?: TransportSink;
  private queue: string[] = [];
  private closed = false;

  start(sink: TransportSink): void {
    this.sink = sink;
    for (const m of this.queue.splice(0)) this.deliver(m);
  }

  receive(text: string): void {
    if (this.closed) return;
    if (this.sink) queueMicrotask(() => this.deliver(text));
    else this.queue.push(text);
  }

  private deliver(text: string): void {
    if (!this.closed) this.sink?.message(JSON.parse(text));
  }

  send(message: JsonRpcMessage | JsonRpcMessage[]): void {
    if (this.closed) throw new Error("Transport closed");
    this.other?.receive(JSON.stringify(message));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.sink?.closed();
    await this.other?.close();
  }
}
