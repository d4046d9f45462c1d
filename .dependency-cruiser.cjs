/** Import rules that keep the architecture visible (run by `npm run depcheck`, part of `npm test`). */
module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", comment: "Import cycles hide who depends on whom.", from: {}, to: { circular: true } },
    {
      name: "platform-is-below-modules",
      severity: "error",
      comment: "Platform code (errors, http, jobs, events, auth primitives) must not know about domain modules.",
      from: { path: "^server/src/platform" },
      to: { path: "^server/src/modules" },
    },
    {
      name: "contracts-stand-alone",
      severity: "error",
      comment: "Shared schemas are imported by server and web; they import neither.",
      from: { path: "^contracts/src" },
      to: { path: "^(server|web)/" },
    },
    {
      name: "web-uses-only-the-api",
      severity: "error",
      comment: "The web app talks to the server over /api/v1 only.",
      from: { path: "^web/src" },
      to: { path: "^server/" },
    },
    {
      name: "modules-use-routes-only-from-app",
      severity: "error",
      comment: "Route files are entry points wired by app.ts; other code calls services.",
      from: { path: "^server/src/modules", pathNot: "-routes\\.ts$" },
      to: { path: "-routes\\.ts$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    exclude: { path: "(node_modules|dist)" },
  },
};
