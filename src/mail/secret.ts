// The key that signs unsubscribe links. APP_SECRET when set; otherwise one made on first start and kept in
// DATA_DIR/app-secret (readable by its owner only), so links in sent mail keep working across restarts.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function resolveSecret(appSecret: string | undefined, dataDir: string, say: (m: string) => void): string {
  if (appSecret) return appSecret;
  const file = join(dataDir, "app-secret");
  try {
    const kept = readFileSync(file, "utf8").trim();
    if (kept.length >= 32) return kept;
  } catch {
    // none yet
  }
  const made = randomBytes(32).toString("base64url");
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${made}\n`, { mode: 0o600 });
  say(`APP_SECRET unset: made one and kept it in ${file}`);
  return made;
}
