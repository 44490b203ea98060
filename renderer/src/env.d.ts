// What Vite puts in import.meta.env (only the part the wizard reads).
interface ImportMetaEnv {
  /** True under `vite dev`, false in a build. */
  readonly DEV: boolean;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
