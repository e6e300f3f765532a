import type { IncomingMessage } from 'node:http';

/** The whole body, or undefined once it passes `limit` bytes (reading stops there). */
export function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total <= limit) return void chunks.push(chunk);
      // Stop reading but keep the socket: the refusal (413) still has to reach the client.
      request.off('data', onData);
      request.pause();
      resolve(undefined);
    };
    request.on('data', onData);
    request.once('end', () => resolve(new Uint8Array(Buffer.concat(chunks, total))));
    request.once('error', reject);
  });
}
