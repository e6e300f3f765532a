import sharp from 'sharp';

/** Pictures for the local-engine benchmark, drawn with sharp at any size. */

export const MB = 1024 * 1024;
export const sideFor = (megapixels: number) => Math.round(Math.sqrt(megapixels * MB));

/** A shaded ball on a gradient backdrop with sensor-like noise, as JPEG (a photo). */
export async function photo(side: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="${side}">
    <defs><linearGradient id="b" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#dde6ee"/><stop offset="1" stop-color="#a3b5c4"/></linearGradient>
    <radialGradient id="s" cx="0.38" cy="0.35" r="0.7"><stop offset="0" stop-color="#ff8a5c"/><stop offset="1" stop-color="#9c2a12"/></radialGradient></defs>
    <rect width="${side}" height="${side}" fill="url(#b)"/><circle cx="${side / 2}" cy="${side / 2}" r="${side / 4}" fill="url(#s)"/></svg>`;
  const pixels = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer();
  const noise = await sharp({ create: { width: side, height: side, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 128, sigma: 10 } } })
    .raw()
    .toBuffer();
  for (let index = 0; index < pixels.length; index++) pixels[index] = Math.max(0, Math.min(255, pixels[index]! + noise[index]! - 128));
  return sharp(pixels, { raw: { width: side, height: side, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A flat-colour logo as PNG (what vectorization is for). */
export async function logo(side: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="${side}" viewBox="0 0 256 256"><rect width="256" height="256" fill="#ffffff"/>
    <rect x="24" y="24" width="120" height="96" rx="18" fill="#1f4fbf"/><circle cx="176" cy="150" r="56" fill="#d9342b"/><path d="M40 224 L96 136 L152 224 Z" fill="#f2b705"/>
    <text x="20" y="250" font-size="18" fill="#222">Pictor</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
