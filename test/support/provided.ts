// What test/global-setup.ts provides to every test file.
declare module "vitest" {
  export interface ProvidedContext {
    /** A MongoDB server URI without a database name. */
    mongodbUri: string;
  }
}

export {};
