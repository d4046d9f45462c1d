#!/usr/bin/env node
// `loopdesk <command>`: runs the TypeScript entry point through tsx's loader.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
