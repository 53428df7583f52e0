import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bundleFunction } from "../build.js";
import { PROTECTED_STACK } from "../contract.js";
import { type FunctionSpec, restApiOf, rowEnvironment, validateFunctions } from "../functions.js";
import { physicalNames } from "./naming.js";
import { functionSettings, readSettings, type StackSettings } from "./settings.js";
import { UrlFunction } from "./url-function.js";

export interface DeployedFunction {
  spec: FunctionSpec;
  fn: UrlFunction;
  bundle: ReturnType<typeof bundleFunction>;
}

export interface DeployedFunctions {
  settings: StackSettings;
  functions: DeployedFunction[];
  /** What the workflows read: export each from the stack program (`export const { urls, … } = …`). */
  outputs: {
    /** Every row's URL: on production the `live` alias's. */
    urls: pulumi.Output<Record<string, string>>;
    /** Production: each row's candidate URL (AWS_IAM), versions of both aliases; branches: empty. */
    candidateUrls: pulumi.Output<Record<string, string>>;
    candidateFunctionNames: pulumi.Output<Record<string, string>>;
    liveVersions: pulumi.Output<Record<string, string>>;
    candidateVersions: pulumi.Output<Record<string, string>>;
    /** Each REST API door's URL by row name (rows with `restApi` only). */
    restApiUrls: pulumi.Output<Record<string, string>>;
    functionNames: pulumi.Output<Record<string, string>>;
    authTypes: Record<string, string>;
    authType: string;
    region: pulumi.Output<string>;
    bundleSha256: Record<string, string>;
    branch: string;
  };
}

/**
 * One UrlFunction per row of the table, with the stack's settings, named
 * `<project>-<stack>-<row>`: what a stack program calls, then exports `outputs`.
 * The project's name is Pulumi's (`name:` in Pulumi.yaml), the one place it is set.
 */
/** The environment variable through which the pipeline moves live (promote, roll back): row to version. */
export const LIVE_VERSIONS_ENV = "PROMOTION_LIVE_VERSIONS";

/** The live versions a promotion or rollback asks for, or one line naming the fix. */
export function requestedLiveVersions(raw: string | undefined): Record<string, string> | undefined {
  if (!raw) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error(`${LIVE_VERSIONS_ENV} is not JSON: expected {"<row>":"<version>",...}`);
  }
  if (
    typeof value !== "object" ||
    value === null ||
    Array.isArray(value) ||
    !Object.values(value).every((v) => /^\d+$/.test(String(v)))
  )
    throw new Error(`${LIVE_VERSIONS_ENV}: expected row to published version number, e.g. {"stream":"7"}`);
  return Object.fromEntries(Object.entries(value).map(([row, version]) => [row, String(version)]));
}

export function deployFunctions(
  table: readonly FunctionSpec[],
  options: {
    project?: string;
    stack?: string;
    config?: pulumi.Config;
    root?: string;
    env?: NodeJS.ProcessEnv;
  } = {},
): DeployedFunctions {
  const project = options.project ?? pulumi.getProject();
  const stack = options.stack ?? pulumi.getStack();
  const settings = readSettings(options.config ?? new pulumi.Config(), stack);
  // The project tag: what the deploy roles' tag conditions scope REST APIs by.
  const tags = { ...settings.tags, project };
  validateFunctions(table);
  // Production promotes behind a check (README, "Production"): what live serves comes from the
  // pipeline's request, else from what this stack served before (its own liveVersions output,
  // read back through a self stack reference: a stack may read its own previous update's outputs,
  // pulumi/pulumi#3722), else, on the first deploy, the version just published. So a preview from
  // a fresh checkout declares live where it is: no change.
  const production = stack === PROTECTED_STACK;
  const requested = requestedLiveVersions((options.env ?? process.env)[LIVE_VERSIONS_ENV]);
  const previous = production
    ? new pulumi.StackReference(`${pulumi.getOrganization()}/${project}/${stack}`).getOutput("liveVersions")
    : undefined;
  const functions = table.map((spec) => {
    // The same esbuild bundle the tests and the local emulator run.
    const bundle = bundleFunction(spec, settings.runtime, options.root);
    const own = functionSettings(spec, settings);
    const fn = new UrlFunction(spec.name, {
      project,
      names: physicalNames(stack, spec.name, project),
      invokeMode: spec.invokeMode,
      authType: own.authType,
      cors: spec.cors,
      code: new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.FileAsset(bundle.outfile) }),
      handler: bundle.handler,
      runtime: settings.runtime,
      memoryMb: own.memoryMb,
      timeoutS: own.timeoutS,
      logRetentionDays: settings.logRetentionDays,
      environment: rowEnvironment(spec),
      permissionsBoundaryArn: settings.permissionsBoundaryArn,
      tags,
      permissions: spec.permissions,
      functionArgs: spec.functionArgs,
      restApi: restApiOf(spec),
      promotion: previous
        ? {
            live: (published) =>
              pulumi
                .all([previous, published])
                .apply(
                  ([before, version]) =>
                    requested?.[spec.name] ??
                    (before as Record<string, string> | undefined)?.[spec.name] ??
                    version,
                ),
          }
        : undefined,
    });
    return { spec, fn, bundle };
  });
  const byName = <T>(pick: (entry: DeployedFunction) => T) =>
    Object.fromEntries(functions.map((entry) => [entry.spec.name, pick(entry)]));
  // The same, for what only some rows have (a REST door, production's aliases): the others left out.
  const byNameWhere = <T>(pick: (entry: DeployedFunction) => T | undefined) =>
    Object.fromEntries(
      functions.flatMap((entry) => {
        const value = pick(entry);
        return value === undefined ? [] : [[entry.spec.name, value]];
      }),
    );
  return {
    settings,
    functions,
    outputs: {
      /** Every function's URL by row name: what the stream check and the PR comment read. */
      urls: pulumi.output(byName((entry) => entry.fn.url)),
      restApiUrls: pulumi.output(byNameWhere((entry) => entry.fn.restApiUrl)),
      // What an SDK invokes: production's `<function>:live`, a branch's function.
      functionNames: pulumi.output(byName((entry) => entry.fn.invokeName)),
      candidateUrls: pulumi.output(byNameWhere((entry) => entry.fn.candidateUrl)),
      candidateFunctionNames: pulumi.output(byNameWhere((entry) => entry.fn.candidateInvokeName)),
      liveVersions: pulumi.output(byNameWhere((entry) => entry.fn.liveVersion)),
      candidateVersions: pulumi.output(byNameWhere((entry) => entry.fn.candidateVersion)),
      authTypes: byName((entry) => functionSettings(entry.spec, settings).authType),
      authType: settings.authType,
      region: aws.getRegionOutput().region,
      bundleSha256: byName((entry) => entry.bundle.sha256),
      // The branch, exactly: the janitor reads it to dispatch this stack's teardown into the
      // branch's concurrency group (stack names are hashed when cut, and the DIY backend keeps
      // no stack tags, while every `up` writes the stack's outputs).
      branch: settings.branch,
    },
  };
}
