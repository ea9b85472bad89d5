import { digest, Rng } from './rng.js';

/**
 * A deterministic unit vector for `text`: Gaussian components from a PRNG
 * seeded by sha256(text), L2-normalised, stored as float32. Lower dimensions
 * are the normalised prefix of higher ones (as `dimensions` behaves upstream).
 */
export function embeddingVector(text: string, dimensions: number): Float32Array {
  const rng = new Rng(digest(['embedding', text]));
  const values = new Float64Array(dimensions);
  let sumSquares = 0;
  for (let i = 0; i < dimensions; i += 2) {
    // Box-Muller: two standard normals per pair of uniforms.
    const radius = Math.sqrt(-2 * Math.log(1 - rng.next()));
    const angle = 2 * Math.PI * rng.next();
    const a = radius * Math.cos(angle);
    values[i] = a;
    sumSquares += a * a;
    if (i + 1 < dimensions) {
      const b = radius * Math.sin(angle);
      values[i + 1] = b;
      sumSquares += b * b;
    }
  }
  const scale = sumSquares > 0 ? 1 / Math.sqrt(sumSquares) : 0;
  const out = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) out[i] = (values[i] ?? 0) * scale;
  return out;
}

/** base64 of the little-endian float32 bytes (OpenAI's `encoding_format: 'base64'`). */
export function float32Base64(vector: Float32Array): string {
  const bytes = Buffer.allocUnsafe(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i] ?? 0, i * 4);
  return bytes.toString('base64');
}
