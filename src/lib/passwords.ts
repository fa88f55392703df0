// Password hashing with argon2id. Production uses OWASP's minimum parameters; tests inject cheaper ones.
import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hashed: string, password: string): Promise<boolean>;
  /** Spends the same time as a real verification; used when the account does not exist. */
  verifyDummy(password: string): Promise<void>;
}

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const OWASP_ARGON2: Argon2Params = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
/** Far too weak for real passwords: for tests only. */
export const TEST_ARGON2: Argon2Params = { memoryCost: 1_024, timeCost: 1, parallelism: 1 };

// Algorithm.Argon2id in @node-rs/argon2 (a const enum, which isolated modules cannot import).
const ARGON2ID = 2 as const;

export function createPasswordHasher(params: Argon2Params = OWASP_ARGON2): PasswordHasher {
  const options = { ...params, algorithm: ARGON2ID };
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => hash(password, options),
    async verify(hashed, password) {
      try {
        return await verify(hashed, password);
      } catch {
        return false;
      }
    },
    async verifyDummy(password) {
      dummy ??= hash(randomBytes(16).toString("hex"), options);
      await verify(await dummy, password).catch(() => false);
    },
  };
}
