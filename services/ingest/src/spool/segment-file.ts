// The spool's on-disk record format, pure (no I/O): a segment file is a run of frames
//   magic u32 | payload length u32 | CRC-32 of the payload u32 | payload
// and a payload is one Kafka message as received: topic, key, value (raw bytes), headers, and when it was spooled.
// Scanning finds every valid frame; a damaged stretch followed by valid frames is skipped as corrupt, and a damaged
// end with no valid frame after it is a torn tail (a write the crash interrupted: never acknowledged).
import { crc32 } from 'node:zlib';

export interface SpoolRecord {
  topic: string;
  key: Buffer | null;
  /** The message value exactly as received. */
  value: Buffer;
  headers: Record<string, string>;
  /** Epoch ms when the record entered the spool. */
  spooledAtMs: number;
}

const MAGIC = 0x43505331; // "CPS1"
const MAGIC_BYTES = Buffer.from([0x43, 0x50, 0x53, 0x31]);
const FORMAT_VERSION = 1;
export const FRAME_HEADER_BYTES = 12;
/** No frame is larger: a length field above it is damage, not a record. */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

/** The frame of one record, ready to append to a segment. */
export function encodeFrame(record: SpoolRecord): Buffer {
  const topic = Buffer.from(record.topic, 'utf8');
  const headers = Object.entries(record.headers).map(([name, value]) => [Buffer.from(name, 'utf8'), Buffer.from(value, 'utf8')] as const);
  const payloadBytes =
    1 +
    8 +
    2 +
    topic.length +
    4 +
    (record.key?.length ?? 0) +
    4 +
    record.value.length +
    2 +
    headers.reduce((sum, [n, v]) => sum + 2 + n.length + 4 + v.length, 0);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payloadBytes);
  let at = FRAME_HEADER_BYTES;
  at = frame.writeUInt8(FORMAT_VERSION, at);
  at = frame.writeDoubleBE(record.spooledAtMs, at);
  at = frame.writeUInt16BE(topic.length, at);
  at += topic.copy(frame, at);
  at = frame.writeInt32BE(record.key === null ? -1 : record.key.length, at);
  if (record.key !== null) at += record.key.copy(frame, at);
  at = frame.writeUInt32BE(record.value.length, at);
  at += record.value.copy(frame, at);
  at = frame.writeUInt16BE(headers.length, at);
  for (const [name, value] of headers) {
    at = frame.writeUInt16BE(name.length, at);
    at += name.copy(frame, at);
    at = frame.writeUInt32BE(value.length, at);
    at += value.copy(frame, at);
  }
  const payload = frame.subarray(FRAME_HEADER_BYTES);
  frame.writeUInt32BE(MAGIC, 0);
  frame.writeUInt32BE(payload.length, 4);
  frame.writeUInt32BE(crc32(payload), 8);
  return frame;
}

/** Decodes a payload whose CRC matched; throws when its structure is inconsistent anyway. */
function decodePayload(payload: Buffer): SpoolRecord {
  let at = 0;
  const need = (bytes: number) => {
    if (bytes < 0 || at + bytes > payload.length) throw new Error('payload shorter than its fields');
  };
  need(1 + 8 + 2);
  const version = payload.readUInt8(at);
  at += 1;
  if (version !== FORMAT_VERSION) throw new Error(`unknown spool record version ${version}`);
  const spooledAtMs = payload.readDoubleBE(at);
  at += 8;
  const topicLength = payload.readUInt16BE(at);
  at += 2;
  need(topicLength + 4);
  const topic = payload.toString('utf8', at, at + topicLength);
  at += topicLength;
  const keyLength = payload.readInt32BE(at);
  at += 4;
  let key: Buffer | null = null;
  if (keyLength >= 0) {
    need(keyLength);
    key = Buffer.from(payload.subarray(at, at + keyLength));
    at += keyLength;
  }
  need(4);
  const valueLength = payload.readUInt32BE(at);
  at += 4;
  need(valueLength + 2);
  const value = Buffer.from(payload.subarray(at, at + valueLength));
  at += valueLength;
  const headerCount = payload.readUInt16BE(at);
  at += 2;
  const headers: Record<string, string> = Object.create(null);
  for (let i = 0; i < headerCount; i++) {
    need(2);
    const nameLength = payload.readUInt16BE(at);
    at += 2;
    need(nameLength + 4);
    const name = payload.toString('utf8', at, at + nameLength);
    at += nameLength;
    const valueBytes = payload.readUInt32BE(at);
    at += 4;
    need(valueBytes);
    headers[name] = payload.toString('utf8', at, at + valueBytes);
    at += valueBytes;
  }
  if (at !== payload.length) throw new Error('payload longer than its fields');
  return { topic, key, value, headers: { ...headers }, spooledAtMs };
}

/** The valid frame starting at `at`, or undefined. */
function frameAt(buffer: Buffer, at: number): { record: SpoolRecord; end: number } | undefined {
  if (at + FRAME_HEADER_BYTES > buffer.length || buffer.readUInt32BE(at) !== MAGIC) return undefined;
  const length = buffer.readUInt32BE(at + 4);
  if (length > MAX_PAYLOAD_BYTES) return undefined;
  const end = at + FRAME_HEADER_BYTES + length;
  if (end > buffer.length) return undefined;
  const payload = buffer.subarray(at + FRAME_HEADER_BYTES, end);
  if (crc32(payload) !== buffer.readUInt32BE(at + 8)) return undefined;
  try {
    return { record: decodePayload(payload), end };
  } catch {
    return undefined;
  }
}

export interface ScannedFrame {
  record: SpoolRecord;
  /** Offsets within the scanned buffer (plus `base`). */
  start: number;
  end: number;
}

export interface SegmentScan {
  frames: ScannedFrame[];
  /** Damaged stretches with valid frames after them: skipped. */
  corrupt: Array<{ start: number; end: number }>;
  /** End of the last valid frame; bytes from here to the end are a torn tail (none when it equals the scanned end). */
  validEnd: number;
}

/** Every valid frame of a segment's bytes (from offset `base` of the file), with what is damaged. */
export function scanFrames(buffer: Buffer, base = 0): SegmentScan {
  const frames: ScannedFrame[] = [];
  const corrupt: Array<{ start: number; end: number }> = [];
  let at = 0;
  while (at < buffer.length) {
    const frame = frameAt(buffer, at);
    if (frame) {
      frames.push({ record: frame.record, start: base + at, end: base + frame.end });
      at = frame.end;
      continue;
    }
    const next = nextFrameStart(buffer, at + 1);
    if (next === undefined) break;
    corrupt.push({ start: base + at, end: base + next });
    at = next;
  }
  return { frames, corrupt, validEnd: base + at };
}

function nextFrameStart(buffer: Buffer, from: number): number | undefined {
  for (let at = buffer.indexOf(MAGIC_BYTES, from); at !== -1; at = buffer.indexOf(MAGIC_BYTES, at + 1)) {
    if (frameAt(buffer, at)) return at;
  }
  return undefined;
}
