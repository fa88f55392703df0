// Random strings for what every page view draws: the script nonce of its policy, the submission key of its
// reply form. Each `randomBytes()` call goes down to OpenSSL, and two per signed-in thread page cost the app
// 0.1 ms of its 0.57 ms per view under 50 connections. So the bytes are drawn 4 KB at a time, as
// node's own `randomUUID()` does with its cache, and handed out in slices, each once; a slice is zeroed when it
// is taken, so the buffer never holds a string already given out. For secrets that last (tokens kept hashed,
// keys), call `randomBytes` directly: this is for the short-lived, per-response kind.
import { randomFillSync } from "node:crypto";

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let next = POOL_BYTES;

/** `bytes` cryptographically random bytes (1–256), as hex or base64url. */
export function randomString(bytes: number, encoding: "hex" | "base64url"): string {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > 256) throw new RangeError(`randomString: ${bytes} bytes (1–256)`);
  if (next + bytes > POOL_BYTES) {
    randomFillSync(pool);
    next = 0;
  }
  const end = next + bytes;
  const text = pool.toString(encoding, next, end);
  pool.fill(0, next, end);
  next = end;
  return text;
}
