/**
 * Every third-party action the workflows use, pinned to a full commit SHA read from the
 * action's own git tag (`git ls-remote --tags https://github.com/OWNER/ACTION vX.Y.Z` on each
 * action's public repository). Tests check each `uses:` line
 * in .github/ against this table, so a pin changes in one place and the YAML follows.
 * Dependabot (github-actions ecosystem) proposes updates to both.
 */
export const ACTION_PINS: Record<string, { version: string; sha: string }> = {
  "actions/checkout": { version: "v7.0.1", sha: "3d3c42e5aac5ba805825da76410c181273ba90b1" },
  "actions/setup-node": { version: "v7.0.0", sha: "820762786026740c76f36085b0efc47a31fe5020" },
  "actions/cache": { version: "v5.0.5", sha: "27d5ce7f107fe9357f9df03efb73ab90386fccae" },
  "actions/upload-artifact": { version: "v7.0.0", sha: "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f" },
  "aws-actions/configure-aws-credentials": {
    version: "v6.2.3",
    sha: "e6de054238d6b7531b4efff3b6587d9aade6a06c",
  },
  "pulumi/actions": { version: "v7.0.0", sha: "8e5e406f4007fca908480587cb9893c07090f58d" },
  "pulumi/auth-actions": { version: "v2.1.0", sha: "141415910c3beb54e03b48e9057c204c97b956f2" },
};
