import argon2 from 'argon2';

/** argon2id; memory cost from config (lowered in tests, where hashing speed is not what is tested). */
export function createPasswordHasher(memoryKib: number) {
  return {
    hash: (password: string) => argon2.hash(password, { type: argon2.argon2id, memoryCost: memoryKib }),
    verify: async (hash: string, password: string) => {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    },
  };
}
export type PasswordHasher = ReturnType<typeof createPasswordHasher>;
