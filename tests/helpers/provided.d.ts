// Values that tests/global-setup.ts hands to every test file through `inject(...)`.
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** Database server URI, e.g. `mongodb://127.0.0.1:PORT/`; connect with a fresh `dbName` per test file. */
    mongoUri: string;
  }
}
