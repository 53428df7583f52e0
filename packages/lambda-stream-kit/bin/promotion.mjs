#!/usr/bin/env node
// A bin of the kit: its TypeScript source runs through tsx (a dependency), so the package ships
// as it is written. Node itself strips no types under node_modules.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/commands/promotion.ts");
await main(process.argv.slice(2));
