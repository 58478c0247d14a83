// One persistent HTTP/1.1 connection (RFC 9112 section 9.3) carrying one request at a time: what a
// BOSH client needs (XEP-0124 section 11 pairs each outstanding request with its own connection).
// Requests are written as one pre-built string; Node's http client is avoided because at tens of
// thousands of requests per second it, not the server, would become the bottleneck.

import { connect, type Socket } from 'node:net';
import { HttpResponseParser, type HttpResponse } from './http-response-parser.js';

export class HttpConnection {
  private socket: Socket | null = null;
  private waiting: { resolve: (r: HttpResponse) => void; reject: (e: Error) => void; socket: Socket } | null = null;
  private readonly head: string;

  constructor(
    private readonly host: string,
    private readonly port: number,
    path: string,
  ) {
    this.head = `POST ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: `;
  }

  get busy(): boolean {
    return this.waiting !== null;
  }

  post(body: string): Promise<HttpResponse> {
    if (this.waiting) return Promise.reject(new Error('HttpConnection: a request is already outstanding'));
    const socket = this.socket ?? this.open();
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject, socket };
      socket.write(`${this.head}${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private open(): Socket {
    const socket = connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    const parser = new HttpResponseParser((response) => {
      const waiting = this.waiting;
      this.waiting = null;
      if (response.close && this.socket === socket) {
        socket.destroy();
        this.socket = null;
      }
      waiting?.resolve(response);
    });
    socket.on('data', (buf: Buffer) => {
      try {
        parser.push(buf.toString('latin1'));
      } catch (err) {
        this.fail(socket, err as Error);
      }
    });
    socket.on('error', (err) => this.fail(socket, err));
    socket.on('close', () => this.fail(socket, new Error('HTTP connection closed')));
    this.socket = socket;
    return socket;
  }

  private fail(socket: Socket, err: Error): void {
    if (this.socket === socket) this.socket = null;
    socket.destroy();
    // A connection the server closed after its last response must not fail the next request.
    if (this.waiting?.socket !== socket) return;
    const waiting = this.waiting;
    this.waiting = null;
    waiting.reject(err);
  }
}
