import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";
import { type FunctionSpec, validateFunctions } from "./functions.js";
import { CONFIG_KEY, projectRoot } from "./paths.js";

/** Where a project keeps what the kit reads, relative to its root (package.json `lambdaStreamKit`). */
export interface ProjectConfig {
  /** The module that exports the function table as `FUNCTIONS` (default lambda/functions.ts). */
  functions: string;
  /** The Pulumi project file whose `name:` names everything (default infra/Pulumi.yaml). */
  pulumi: string;
}

export const DEFAULT_CONFIG: ProjectConfig = {
  functions: "lambda/functions.ts",
  pulumi: "infra/Pulumi.yaml",
};

/** A project as the kit's commands see it. */
export interface Project {
  root: string;
  /** The Pulumi project's name: the prefix of every AWS name, the comment marker, the type tokens. */
  name: string;
  functions: readonly FunctionSpec[];
}

/** The project's `lambdaStreamKit` settings, with defaults for what it leaves out. */
export function readProjectConfig(root: string): ProjectConfig {
  const file = join(root, "package.json");
  if (!existsSync(file)) return DEFAULT_CONFIG;
  const raw = (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>)[CONFIG_KEY];
  if (raw === undefined) return DEFAULT_CONFIG;
  if (typeof raw !== "object" || raw === null)
    throw new Error(`${CONFIG_KEY} in ${file} must be an object such as {"functions":"lambda/functions.ts"}`);
  return { ...DEFAULT_CONFIG, ...(raw as Partial<ProjectConfig>) };
}

/** The longest project name every AWS name built from it still fits (see stack/naming.ts). */
export const PROJECT_NAME_LIMIT = 23;

/** A project name every AWS name can start with, or one line naming the limit and the fix. */
export function checkProjectName(name: string, file = "infra/Pulumi.yaml"): string {
  if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(name) || name.length > PROJECT_NAME_LIMIT) {
    throw new Error(
      `project name ${JSON.stringify(name)} is not usable: use 1 to ${PROJECT_NAME_LIMIT} of [a-z0-9-] (the state bucket's prefix "<name>-pulumi-state-" may have 37 characters); change name: in ${file}`,
    );
  }
  return name;
}

/** The Pulumi project's `name:`, the one place the project is named. */
export function readProjectName(root = projectRoot(), config = readProjectConfig(root)): string {
  const file = join(root, config.pulumi);
  if (!existsSync(file))
    throw new Error(
      `no ${config.pulumi} in ${root}: the kit reads the project's name from it (set ${CONFIG_KEY}.pulumi in package.json)`,
    );
  const name = (parse(readFileSync(file, "utf8")) as { name?: unknown } | null)?.name;
  if (typeof name !== "string") throw new Error(`${config.pulumi} has no name: (the Pulumi project's name)`);
  return checkProjectName(name, config.pulumi);
}

/** Imports the project's function table (run under tsx, so it may be TypeScript) and validates it. */
export async function loadFunctions(root = projectRoot(), config = readProjectConfig(root)) {
  const file = join(root, config.functions);
  if (!existsSync(file))
    throw new Error(
      `no function table at ${relative(process.cwd(), file) || file}: create it (export const FUNCTIONS = [...]) or set ${CONFIG_KEY}.functions in package.json`,
    );
  const module = (await import(pathToFileURL(file).href)) as { FUNCTIONS?: unknown };
  if (!Array.isArray(module.FUNCTIONS))
    throw new Error(
      `${config.functions} exports no FUNCTIONS array (export const FUNCTIONS: FunctionSpec[] = [...])`,
    );
  const functions = module.FUNCTIONS as FunctionSpec[];
  validateFunctions(functions);
  return functions;
}

/** The whole project: root, name and function table. */
export async function loadProject(root = projectRoot()): Promise<Project> {
  const config = readProjectConfig(root);
  return { root, name: readProjectName(root, config), functions: await loadFunctions(root, config) };
}

/** What a command was given of the project; what it leaves out is read from the project's files. */
export type ProjectInput = Partial<Project>;

/** The function table: given, or imported from the project's config path. */
export async function functionsOf(given: ProjectInput = {}): Promise<readonly FunctionSpec[]> {
  if (given.functions) {
    validateFunctions(given.functions);
    return given.functions;
  }
  return loadFunctions(given.root ?? projectRoot());
}

/** The project's name: given, or `name:` of its Pulumi.yaml. */
export function nameOf(given: ProjectInput = {}): string {
  return given.name ?? readProjectName(given.root ?? projectRoot());
}

/** The folder of the Pulumi program (where `pulumi` commands run): infra/ by default. */
export function pulumiDirOf(given: ProjectInput = {}): string {
  const root = given.root ?? projectRoot();
  return dirname(join(root, readProjectConfig(root).pulumi));
}
