import { isIPv4, isIPv6 } from 'node:net';

/**
 * Which IP addresses Pictor may fetch from on a user's behalf. Anything that is not ordinary
 * public unicast is refused: the deployment's own machine and network, link-local (where clouds
 * serve instance metadata and credentials), carrier-grade NAT, documentation, multicast and
 * reserved ranges. IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are
 * judged by the IPv4 address inside them, so `[::ffff:127.0.0.1]` is loopback like `127.0.0.1`.
 */

interface Range {
  readonly bytes: readonly number[];
  readonly prefixLength: number;
  readonly reason: string;
}

function range(cidr: string, reason: string): Range {
  const [address, length] = cidr.split('/');
  const bytes = parseAddress(address!);
  if (!bytes) throw new Error(`bad range ${cidr}`);
  return { bytes: [...bytes], prefixLength: Number(length), reason };
}

const BlockedIPv4: readonly Range[] = [
  range('0.0.0.0/8', 'this network'),
  range('10.0.0.0/8', 'private'),
  range('100.64.0.0/10', 'carrier-grade NAT'),
  range('127.0.0.0/8', 'loopback'),
  range('169.254.0.0/16', 'link-local (cloud metadata)'),
  range('172.16.0.0/12', 'private'),
  range('192.0.0.0/24', 'IETF protocol assignments (cloud metadata)'),
  range('192.0.2.0/24', 'documentation'),
  range('192.88.99.0/24', '6to4 relay'),
  range('192.168.0.0/16', 'private'),
  range('198.18.0.0/15', 'benchmarking'),
  range('198.51.100.0/24', 'documentation'),
  range('203.0.113.0/24', 'documentation'),
  range('224.0.0.0/4', 'multicast'),
  range('240.0.0.0/4', 'reserved'),
  // Azure's instance metadata / wire server sits on a public address.
  range('168.63.129.16/32', 'cloud metadata'),
];

/** IPv6 is refused unless global unicast (2000::/3), minus the special blocks inside it. */
const GlobalUnicast = range('2000::/3', 'global unicast');
const BlockedIPv6: readonly Range[] = [range('2001::/23', 'IETF protocol assignments'), range('2001:db8::/32', 'documentation'), range('3fff::/20', 'documentation')];

/** IPv6 prefixes whose last 32 bits (or bits 16-48 for 6to4) carry an IPv4 address. */
const EmbeddingIPv4: readonly { range: Range; offset: number }[] = [
  { range: range('::ffff:0:0/96', 'IPv4-mapped'), offset: 12 },
  { range: range('::/96', 'IPv4-compatible'), offset: 12 },
  { range: range('64:ff9b::/96', 'NAT64'), offset: 12 },
  { range: range('64:ff9b:1::/48', 'local NAT64'), offset: 12 },
  { range: range('2002::/16', '6to4'), offset: 2 },
];

/** 4 bytes for an IPv4 address, 16 for IPv6 (`::` expanded, a dotted IPv4 tail read); else undefined. */
export function parseAddress(address: string): Uint8Array | undefined {
  let text = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(text)) return Uint8Array.from(text.split('.').map(Number));
  if (!isIPv6(text)) return undefined;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a, b, c, d] = tail.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const words = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const halves = text.split('::');
  let all: number[];
  if (halves.length === 2) {
    const left = words(halves[0]!);
    const right = words(halves[1]!);
    all = [...left, ...new Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0), ...right];
  } else {
    all = words(text);
  }
  if (all.length !== 8 || all.some((word) => Number.isNaN(word))) return undefined;
  const bytes = new Uint8Array(16);
  all.forEach((word, index) => {
    bytes[index * 2] = word >> 8;
    bytes[index * 2 + 1] = word & 0xff;
  });
  return bytes;
}

function inRange(bytes: Uint8Array, candidate: Range): boolean {
  if (bytes.length !== candidate.bytes.length) return false;
  let remaining = candidate.prefixLength;
  for (let index = 0; remaining > 0; index += 1, remaining -= 8) {
    const mask = remaining >= 8 ? 0xff : (0xff << (8 - remaining)) & 0xff;
    if ((bytes[index]! & mask) !== (candidate.bytes[index]! & mask)) return false;
  }
  return true;
}

function blockedIPv4(bytes: Uint8Array): string | undefined {
  return BlockedIPv4.find((candidate) => inRange(bytes, candidate))?.reason;
}

/**
 * Why an address must not be fetched from, or undefined when it is public. Unparseable input is
 * refused too: only addresses we understand are allowed.
 */
export function blockedReason(address: string): string | undefined {
  const bytes = parseAddress(address);
  if (!bytes) return 'not an IP address';
  if (bytes.length === 4) return blockedIPv4(bytes);
  if (bytes.every((byte) => byte === 0)) return 'unspecified';
  if (bytes.subarray(0, 15).every((byte) => byte === 0) && bytes[15] === 1) return 'loopback';
  for (const embedding of EmbeddingIPv4) {
    if (!inRange(bytes, embedding.range)) continue;
    const inner = blockedIPv4(bytes.subarray(embedding.offset, embedding.offset + 4));
    if (inner) return `${embedding.range.reason} ${inner}`;
    // IPv4-compatible addresses are deprecated; nothing legitimate resolves to one.
    return embedding.range.reason === 'IPv4-compatible' ? 'IPv4-compatible (deprecated)' : undefined;
  }
  if (!inRange(bytes, GlobalUnicast)) {
    if (bytes[0] === 0xfe && (bytes[1]! & 0xc0) === 0x80) return 'link-local';
    if ((bytes[0]! & 0xfe) === 0xfc) return 'unique-local (cloud metadata)';
    if (bytes[0] === 0xff) return 'multicast';
    return 'not global unicast';
  }
  return BlockedIPv6.find((candidate) => inRange(bytes, candidate))?.reason;
}

export function isPublicAddress(address: string): boolean {
  return blockedReason(address) === undefined;
}
