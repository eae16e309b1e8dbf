/** A DBC file imported `with { type: 'file' }`: its path, also inside the compiled binary. */
declare module '*.dbc' {
  const path: string;
  export default path;
}
