// Preloaded into a spawned server (node --import) to run it LOOPDESK_TEST_CLOCK_OFFSET_MS in the
// future: `new Date()` and `Date.now()` are shifted; dates built from values are not.
const offset = Number(process.env.LOOPDESK_TEST_CLOCK_OFFSET_MS ?? 0);
if (offset) {
  const RealDate = Date;
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate;
}
