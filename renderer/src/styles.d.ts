// Vite bundles the stylesheet that main.tsx imports for its side effect; TypeScript (≥ 6 checks
// side-effect imports) only needs to know such a module exists.
declare module '*.css';
