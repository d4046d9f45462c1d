// node-postgres's own conversion of a JavaScript value to a statement parameter (text, or a Buffer
// sent as binary), which @types/pg does not describe.
declare module "pg/lib/utils.js" {
  const utils: { prepareValue(value: unknown): string | Buffer | null };
  export default utils;
}
