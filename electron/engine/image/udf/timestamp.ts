/**
 * UDF timestamp (ECMA-167 1/7.3, 12 bytes): type + time zone (minutes east of UTC, signed 12 bits,
 * −2047 = unknown), then year … microseconds as local time.
 */
import { defineStruct } from '../../io/struct.js';

export const Timestamp = defineStruct('UDF timestamp', 12, {
  typeAndTimezone: [0, 'u16le'],
  year: [2, 'i16le'],
  month: [4, 'u8'],
  day: [5, 'u8'],
  hour: [6, 'u8'],
  minute: [7, 'u8'],
  second: [8, 'u8'],
  centiseconds: [9, 'u8'],
  hundredsOfMicroseconds: [10, 'u8'],
  microseconds: [11, 'u8'],
});

export function decodeTimestamp(buf: Buffer, base: number): Date {
  const t = Timestamp.decode(buf, base);
  let tz = t.typeAndTimezone & 0x0fff;
  if (tz & 0x800) tz -= 0x1000;
  if (tz === -2047 || (t.typeAndTimezone >> 12) !== 1) tz = 0;
  const ms = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, t.centiseconds * 10) - tz * 60_000;
  return Number.isFinite(ms) ? new Date(ms) : new Date(0);
}
