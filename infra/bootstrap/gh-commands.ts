/** Pulumi Cloud's token types (pulumi/auth-actions' `requested-token-type`). */
export const PULUMI_TOKEN_TYPES = {
  organization: "urn:pulumi:token-type:access_token:organization",
  personal: "urn:pulumi:token-type:access_token:personal",
} as const;

/**
 * The repository settings the workflows read that the bootstrap cannot know, each with the
 * `gh` line that sets it, commented out: a state backend other than the S3 one, and the
 * optional knobs. A test keeps this list equal to what the workflows read.
 */
export const OPTIONAL_SETTINGS: readonly { kind: "variable" | "secret"; name: string; line: string }[] = [
  {
    kind: "variable",
    name: "PULUMI_ORG",
    line: "variable set PULUMI_ORG --body '<your-pulumi-org>'   # Pulumi Cloud through OIDC (see README)",
  },
  {
    kind: "variable",
    name: "PULUMI_TOKEN_TYPE",
    line: `variable set PULUMI_TOKEN_TYPE --body '${PULUMI_TOKEN_TYPES.personal}'   # individual Pulumi accounts (default: organization)`,
  },
  {
    kind: "variable",
    name: "PULUMI_TOKEN_SCOPE",
    line: "variable set PULUMI_TOKEN_SCOPE --body 'user:<your-pulumi-login>'   # with a personal token type: whose token (team:<name> for a team token)",
  },
  {
    kind: "secret",
    name: "PULUMI_ACCESS_TOKEN",
    line: "secret set PULUMI_ACCESS_TOKEN   # Pulumi Cloud with a token instead of OIDC (prompts for it)",
  },
  {
    kind: "variable",
    name: "STACK_TTL_DAYS",
    line: "variable set STACK_TTL_DAYS --body '7'   # the janitor destroys branch stacks idle longer (default 7)",
  },
  {
    kind: "variable",
    name: "BROWSER_CHECK",
    line: "variable set BROWSER_CHECK --body 'true'   # the stream check also reads every public URL in the runner's Chrome",
  },
];

/** `gh variable set` lines for the bootstrap's outputs, then the optional ones commented out. */
export function repositoryCommands(repository: string, variables: Record<string, string>): string {
  return [
    ...Object.entries(variables).map(
      ([name, value]) => `gh variable set ${name} --body '${value}' --repo ${repository}`,
    ),
    "# Optional, or instead of the S3 backend above (uncomment what you use):",
    ...OPTIONAL_SETTINGS.map((setting) => {
      const [command, comment] = setting.line.split("   # ");
      return `# gh ${command} --repo ${repository}   # ${comment}`;
    }),
  ].join("\n");
}
