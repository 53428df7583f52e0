import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bundleFunction } from "../build.js";
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
    urls: pulumi.Output<Record<string, string>>;
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
export function deployFunctions(
  table: readonly FunctionSpec[],
  options: { project?: string; stack?: string; config?: pulumi.Config; root?: string } = {},
): DeployedFunctions {
  const project = options.project ?? pulumi.getProject();
  const stack = options.stack ?? pulumi.getStack();
  const settings = readSettings(options.config ?? new pulumi.Config(), stack);
  // The project tag: what the deploy roles' tag conditions scope REST APIs by.
  const tags = { ...settings.tags, project };
  validateFunctions(table);
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
    });
    return { spec, fn, bundle };
  });
  const byName = <T>(pick: (entry: DeployedFunction) => T) =>
    Object.fromEntries(functions.map((entry) => [entry.spec.name, pick(entry)]));
  return {
    settings,
    functions,
    outputs: {
      /** Every function's URL by row name: what the stream check and the PR comment read. */
      urls: pulumi.output(byName((entry) => entry.fn.url)),
      restApiUrls: pulumi.output(
        Object.fromEntries(
          functions.flatMap((entry) => (entry.fn.restApiUrl ? [[entry.spec.name, entry.fn.restApiUrl]] : [])),
        ),
      ),
      functionNames: pulumi.output(byName((entry) => entry.fn.functionName)),
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
