import { runSimulation } from "@cloud-copilot/iam-simulate";

export const ACCOUNT = "123456789012";

/** The identity-policy verdict of a real IAM policy engine for one request. */
export async function simulate(
  policy: unknown,
  action: string,
  resource: string,
  contextVariables: Record<string, string | string[]> = {},
  resourcePolicy?: unknown,
): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:role/github-deploy-lambda-streaming`,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables,
      },
      identityPolicies: [{ name: "deploy", policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
    },
    {},
  );
  if (result.resultType === "error") throw new Error(`simulation failed: ${JSON.stringify(result.errors)}`);
  return (result as { overallResult: string }).overallResult;
}

/** KMS's default key policy: the account's IAM policies decide (what the bootstrap's key gets). */
export const DEFAULT_KEY_POLICY = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "Enable IAM User Permissions",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ],
};

/*
 * Why a hand-written evaluator for the OIDC trust policy: iam-simulate drops condition
 * keys it does not know for an action, and token.actions.githubusercontent.com:aud/:sub
 * are unknown to it, so such a statement never matches; pbac rejects Federated
 * principals. This implements exactly AWS's documented semantics of the two operators the
 * trust policy uses, and nothing else (anything else throws), and is itself tested on the
 * IAM User Guide's examples.
 */

/** StringLike: case-sensitive; `*` any run of characters (also none), `?` exactly one. */
export function stringLike(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, "[\\s\\S]*")
    .replace(/\?/g, "[\\s\\S]");
  return new RegExp(`^${regex}$`).test(value);
}

type ConditionBlock = Record<string, Record<string, string | string[]>>;

/**
 * A condition block: every operator must hold (AND), within an operator every key must
 * hold (AND), and a key holds if any of its values matches (OR). Keys are
 * case-insensitive; a key missing from the request fails its test.
 */
export function conditionsHold(
  condition: ConditionBlock,
  context: Record<string, string | undefined>,
): boolean {
  const lowered = Object.fromEntries(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.entries(condition).every(([operator, tests]) => {
    if (operator !== "StringEquals" && operator !== "StringLike") {
      throw new Error(`evaluator supports StringEquals and StringLike only, not ${operator}`);
    }
    return Object.entries(tests).every(([key, expected]) => {
      const actual = lowered[key.toLowerCase()];
      if (actual === undefined) return false;
      const values = Array.isArray(expected) ? expected : [expected];
      return values.some((value) =>
        operator === "StringEquals" ? value === actual : stringLike(value, actual),
      );
    });
  });
}

interface TrustStatement {
  Effect: string;
  Principal?: Record<string, string | string[]>;
  Action: string | string[];
  Condition?: ConditionBlock;
}

/** Whether a role trust policy lets a federated principal take `action` with `context`. */
export function trustAllows(
  policy: { Statement: TrustStatement[] },
  request: { federated: string; action: string; context: Record<string, string | undefined> },
): boolean {
  const matches = (statement: TrustStatement) => {
    const federated = statement.Principal?.Federated;
    const principals = Array.isArray(federated) ? federated : [federated];
    const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
    return (
      principals.includes(request.federated) &&
      actions.some((a) => stringLike(a, request.action)) &&
      conditionsHold(statement.Condition ?? {}, request.context)
    );
  };
  if (policy.Statement.some((s) => s.Effect === "Deny" && matches(s))) return false;
  return policy.Statement.some((s) => s.Effect === "Allow" && matches(s));
}
