import { fileURLToPath } from "node:url";

/** The template repository's root (this file sits in test/template/helpers/). */
export const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));
