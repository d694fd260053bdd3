import { png as pngOf } from '../../server/seed/png.js';

/** A PNG of `width` × `height` pixels of one colour. */
export const png = (width = 2, height = 2, rgb: [number, number, number] = [200, 40, 40]): Buffer => pngOf(width, height, () => rgb);

/** A PNG padded (after IEND, where decoders stop) to exactly `bytes`. */
export function pngOfSize(bytes: number): Buffer {
  const image = png();
  return Buffer.concat([image, Buffer.alloc(Math.max(0, bytes - image.length), 0x20)]);
}

/** A one-page PDF. */
export function pdf(): Buffer {
  return Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
}
