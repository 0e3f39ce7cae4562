// Docker's multiplexed stream format (non-TTY logs and exec): frames of an 8-byte header
// (stream type, 3 zero bytes, big-endian length) followed by the payload.
export interface Frame {
  stream: 1 | 2;
  data: Buffer;
}

/** Splits a complete buffer into frames; a truncated tail is ignored. */
export function demux(buf: Buffer): Frame[] {
  const out: Frame[] = [];
  let i = 0;
  while (i + 8 <= buf.length) {
    const type = buf[i]!;
    const len = buf.readUInt32BE(i + 4);
    if (i + 8 + len > buf.length) break;
    out.push({ stream: type === 2 ? 2 : 1, data: buf.subarray(i + 8, i + 8 + len) });
    i += 8 + len;
  }
  return out;
}

/** Incremental demultiplexer for live streams: feed chunks, get whole frames. */
export class Demuxer {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames = demux(this.pending);
    let used = 0;
    for (const f of frames) used += 8 + f.data.length;
    this.pending = this.pending.subarray(used);
    return frames;
  }
}
