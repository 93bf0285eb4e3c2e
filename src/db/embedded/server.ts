/**
 * The TCP server: frames messages per connection, answers them in order, and isolates
 * bad input (a broken frame closes only that connection; a bad message gets an error reply).
 */
import net from 'node:net';
import type { Document } from 'bson';
import { dispatch } from './commands/dispatch.js';
import type { CommandContext } from './commands/context.js';
import type { CursorRegistry } from './storage/cursors.js';
import type { Engine } from './storage/engine.js';
import type { Logger } from './storage/types.js';
import { WireError, encodeMsg, encodeReply, parseMessage, readHeader, type MessageHeader } from './wire/messages.js';

const HANDSHAKE_COMMANDS = new Set(['hello', 'isMaster', 'ismaster']);

export interface WireServerOptions {
  engine: Engine;
  cursors: CursorRegistry;
  logger: Logger;
}

export class WireServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private nextConnectionId = 1;

  constructor(private readonly options: WireServerOptions) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  listen(port: number, host: string): Promise<{ port: number; host: string }> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const addr = this.server.address() as net.AddressInfo;
        resolve({ port: addr.port, host });
      });
    });
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    this.sockets.add(socket);
    const ctx: CommandContext = {
      engine: this.options.engine,
      cursors: this.options.cursors,
      connectionId: this.nextConnectionId++,
      messageLength: 0,
      clientAddress: `${socket.remoteAddress ?? ''}:${socket.remotePort ?? 0}`,
      logger: this.options.logger,
    };
    let chunks: Buffer[] = [];
    let buffered = 0;
    let header: MessageHeader | undefined;
    let queue: Promise<void> = Promise.resolve();

    const fatal = (reason: string): void => {
      this.options.logger.warn(`embedded mongo: closing connection ${ctx.connectionId}: ${reason}`);
      socket.destroy();
    };

    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      buffered += chunk.length;
      while (!socket.destroyed) {
        if (!header) {
          if (buffered < 16) return;
          if (chunks[0]!.length < 16) chunks = [Buffer.concat(chunks, buffered)];
          try {
            header = readHeader(chunks[0]!);
          } catch (err) {
            fatal((err as Error).message);
            return;
          }
        }
        if (buffered < header.length) return;
        const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered);
        const message = all.subarray(0, header.length);
        const rest = all.subarray(header.length);
        chunks = rest.length > 0 ? [rest] : [];
        buffered = rest.length;
        const h = header;
        header = undefined;
        queue = queue.then(() => this.handle(socket, ctx, message, h));
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  private async handle(socket: net.Socket, ctx: CommandContext, message: Buffer, header: MessageHeader): Promise<void> {
    if (socket.destroyed) return;
    let parsed;
    try {
      parsed = parseMessage(message, header);
    } catch (err) {
      const e = err instanceof WireError ? err : new WireError(String(err), false);
      this.options.logger.warn(`embedded mongo: bad message on connection ${ctx.connectionId}: ${e.message}`);
      if (!e.answerable) {
        socket.destroy();
        return;
      }
      const reply = { ok: 0, errmsg: e.message, code: e.code, codeName: e.codeName };
      socket.write(header.opCode === 2004 ? encodeReply(header.requestId, reply) : encodeMsg(header.requestId, reply));
      return;
    }
    ctx.messageLength = header.length;
    if (parsed.kind === 'query') {
      const reply = await this.legacyQuery(parsed.collection, parsed.command, ctx);
      if (!socket.destroyed) socket.write(encodeReply(header.requestId, reply));
      return;
    }
    const db = parsed.command.$db;
    const reply =
      typeof db === 'string' && db !== ''
        ? await dispatch(parsed.command, db, ctx)
        : { ok: 0, errmsg: 'OP_MSG requests require a $db argument', code: 40571, codeName: 'Location40571' };
    if (!parsed.moreToCome && !socket.destroyed) socket.write(encodeMsg(header.requestId, reply));
  }

  /** OP_QUERY is only accepted for the handshake, as in mongod 6+. */
  private async legacyQuery(collection: string, cmd: Document, ctx: CommandContext): Promise<Document> {
    const name = Object.keys(cmd)[0] ?? '';
    if (!collection.endsWith('.$cmd') || !HANDSHAKE_COMMANDS.has(name)) {
      return {
        ok: 0,
        errmsg: `Unsupported OP_QUERY command: ${name}. The client driver may require an upgrade.`,
        code: 352,
        codeName: 'UnsupportedOpQueryCommand',
      };
    }
    const reply = await dispatch(cmd, collection.slice(0, -5), ctx);
    return reply instanceof Uint8Array ? { ok: 0, errmsg: 'unexpected reply', code: 1 } : reply;
  }
}
