// The spool's frame format on plain bytes: round trip, a torn tail at every cut, corrupt records skipped.
import { describe, expect, it } from 'vitest';
import { encodeFrame, FRAME_HEADER_BYTES, type SpoolRecord, scanFrames } from '../../src/spool/segment-file.js';

const record = (i: number, extra: Partial<SpoolRecord> = {}): SpoolRecord => ({
  topic: 'callpulse.telephony-sessions',
  key: Buffer.from(`s-session-${i}`),
  value: Buffer.from(JSON.stringify({ uuid: String(i), body: { sequence: i, text: 'Grüße, 你好 🙂' } })),
  headers: { 'callpulse-received-at': String(1_700_000_000_000 + i), 'callpulse-notification-uuid': String(i) },
  spooledAtMs: 1_700_000_000_000 + i,
  ...extra,
});

const records = Array.from({ length: 5 }, (_, i) => record(i));
const frames = records.map(encodeFrame);
const segment = Buffer.concat(frames);
const starts = frames.map((_, i) => frames.slice(0, i).reduce((sum, frame) => sum + frame.length, 0));

describe('spool frames', () => {
  it('round-trip topic, key, raw value and headers, including a null key, binary bytes and an empty value', () => {
    const odd: SpoolRecord[] = [
      record(7, { key: null, headers: {} }),
      record(8, { value: Buffer.from([0, 255, 0x43, 0x50, 0x53, 0x31, 10, 13]) }),
      record(9, { value: Buffer.alloc(0), key: Buffer.alloc(0) }),
    ];
    const scan = scanFrames(Buffer.concat(odd.map(encodeFrame)));
    expect(scan.frames.map((frame) => frame.record)).toEqual(odd);
    expect(scan.corrupt).toEqual([]);
  });

  it('find every frame with its offsets', () => {
    const scan = scanFrames(segment, 1000);
    expect(scan.frames.map((frame) => frame.record)).toEqual(records);
    expect(scan.frames.map((frame) => frame.start)).toEqual(starts.map((start) => start + 1000));
    expect(scan.validEnd).toBe(1000 + segment.length);
  });

  it('drop a torn tail wherever the last write was cut', () => {
    const lastStart = starts.at(-1) as number;
    for (let cut = lastStart; cut < segment.length; cut++) {
      const scan = scanFrames(segment.subarray(0, cut));
      expect(scan.frames.map((frame) => frame.record)).toEqual(records.slice(0, -1));
      expect(scan.validEnd).toBe(lastStart);
      expect(scan.corrupt).toEqual([]);
    }
  });

  it('drop a tail of zeros (space the file system allocated but never wrote)', () => {
    const scan = scanFrames(Buffer.concat([segment, Buffer.alloc(4096)]));
    expect(scan.frames).toHaveLength(5);
    expect(scan.validEnd).toBe(segment.length);
  });

  it('skip a corrupt record and keep the ones after it', () => {
    for (const at of [3, FRAME_HEADER_BYTES + 20, 6 /* length field */]) {
      const damaged = Buffer.from(segment);
      damaged[(starts[2] as number) + at] ^= 0xff;
      const scan = scanFrames(damaged);
      expect(scan.frames.map((frame) => frame.record)).toEqual([records[0], records[1], records[3], records[4]]);
      expect(scan.corrupt).toEqual([{ start: starts[2], end: starts[3] }]);
      expect(scan.validEnd).toBe(segment.length);
    }
  });

  it('skip garbage between records', () => {
    const garbage = Buffer.from('not a frame at all, CPS1 inside it');
    const scan = scanFrames(Buffer.concat([frames[0] as Buffer, garbage, frames[1] as Buffer]));
    expect(scan.frames.map((frame) => frame.record)).toEqual([records[0], records[1]]);
    expect(scan.corrupt).toEqual([{ start: (frames[0] as Buffer).length, end: (frames[0] as Buffer).length + garbage.length }]);
  });
});
