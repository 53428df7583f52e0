import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface StoredComment {
  id: number;
  issue: number;
  body: string;
}

export interface FakeGitHub {
  url: string;
  comments: StoredComment[];
  /** Pull requests by head branch; `state` defaults to open. */
  pulls: { number: number; head: string; state?: "open" | "closed" }[];
  /** The numeric ids `GET /repos/{owner}/{repo}` answers with. */
  ownerId: number;
  repoId: number;
  branches: string[];
  requests: { method: string; path: string }[];
  /** Deployments by environment, newest last; statuses newest last. */
  deployments: {
    id: number;
    environment: string;
    sha: string;
    ref?: string;
    transient?: boolean;
    production?: boolean;
    statuses: { state: string; description: string; auto_inactive?: boolean; environment_url?: string }[];
  }[];
  /** Workflow dispatches received (POST …/actions/workflows/{id}/dispatches). */
  dispatches: { workflow: string; ref: string; inputs: Record<string, string> }[];
  /** Issues (not pull requests), by number. */
  issues: { number: number; title: string; body: string; state: "open" | "closed"; labels: string[] }[];
  /** Answer writes with 403, as GitHub does for a fork's read-only token. */
  readOnly: boolean;
  /** Hold each comment listing this long: two writers then read before either writes. */
  listDelayMs: number;
  close(): Promise<void>;
}

/**
 * A local stand-in for the parts of GitHub's REST API the sticky comment uses, following
 * the documented shapes: issue comments paginated with `Link` headers, create/update
 * comment, list pulls by head, 401 without a token, 422 for a body over 65,536 characters.
 */
export async function startFakeGitHub(owner: string, repo: string): Promise<FakeGitHub> {
  let nextId = 1000;
  const state: FakeGitHub = {
    url: "",
    comments: [],
    pulls: [],
    branches: [],
    ownerId: 583231,
    repoId: 1296269,
    requests: [],
    dispatches: [],
    deployments: [],
    issues: [],
    readOnly: false,
    listDelayMs: 0,
    close: async () => {},
  };
  const json = (
    res: ServerResponse,
    status: number,
    value: unknown,
    headers: Record<string, string> = {},
  ) => {
    res
      .writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers })
      .end(JSON.stringify(value));
  };
  const readJson = async (req: IncomingMessage) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    return JSON.parse(text || "{}") as { body?: string };
  };
  const shape = (c: StoredComment) => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    body: c.body,
    user: { login: "github-actions[bot]", type: "Bot" },
    html_url: `https://github.com/${owner}/${repo}/pull/${c.issue}#issuecomment-${c.id}`,
  });
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", state.url);
    state.requests.push({ method: req.method ?? "", path: `${url.pathname}${url.search}` });
    if (!/^(token|Bearer) \S+/.test(req.headers.authorization ?? "")) {
      json(res, 401, { message: "Requires authentication" });
      return;
    }
    const base = `/repos/${owner}/${repo}`;
    const list = new RegExp(`^${base}/issues/(\\d+)/comments$`).exec(url.pathname);
    const one = new RegExp(`^${base}/issues/comments/(\\d+)$`).exec(url.pathname);
    if (list && req.method === "GET") {
      if (state.listDelayMs) await new Promise((resolve) => setTimeout(resolve, state.listDelayMs));
      const issue = Number(list[1]);
      const perPage = Math.min(100, Number(url.searchParams.get("per_page") ?? 30));
      const page = Number(url.searchParams.get("page") ?? 1);
      const all = state.comments.filter((c) => c.issue === issue);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const link = (p: number, rel: string) =>
        `<${state.url}${base}/issues/${issue}/comments?per_page=${perPage}&page=${p}>; rel="${rel}"`;
      const links = [];
      if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
      if (page > 1) links.push(link(1, "first"), link(page - 1, "prev"));
      json(
        res,
        200,
        all.slice((page - 1) * perPage, page * perPage).map(shape),
        links.length ? { link: links.join(", ") } : {},
      );
      return;
    }
    const write = (body: string | undefined) => {
      if (state.readOnly) {
        json(res, 403, { message: "Resource not accessible by integration", status: "403" });
        return false;
      }
      if (!body || body.length > 65_536) {
        json(res, 422, {
          message: "Validation Failed",
          errors: [
            {
              resource: "IssueComment",
              code: "custom",
              field: "body",
              message: "body is too long (maximum is 65536 characters)",
            },
          ],
        });
        return false;
      }
      return true;
    };
    if (list && req.method === "POST") {
      const { body } = await readJson(req);
      if (!write(body)) return;
      const comment = { id: nextId++, issue: Number(list[1]), body: body as string };
      state.comments.push(comment);
      json(res, 201, shape(comment));
      return;
    }
    if (one && req.method === "DELETE") {
      const at = state.comments.findIndex((c) => c.id === Number(one[1]));
      if (at === -1) {
        json(res, 404, { message: "Not Found" });
        return;
      }
      if (state.readOnly) {
        json(res, 403, { message: "Resource not accessible by integration", status: "403" });
        return;
      }
      state.comments.splice(at, 1);
      res.writeHead(204).end();
      return;
    }
    if (one && req.method === "PATCH") {
      const { body } = await readJson(req);
      const comment = state.comments.find((c) => c.id === Number(one[1]));
      if (!comment) {
        json(res, 404, { message: "Not Found" });
        return;
      }
      if (!write(body)) return;
      comment.body = body as string;
      json(res, 200, shape(comment));
      return;
    }
    if (url.pathname === `${base}/branches` && req.method === "GET") {
      const perPage = Math.min(100, Number(url.searchParams.get("per_page") ?? 30));
      const page = Number(url.searchParams.get("page") ?? 1);
      const last = Math.max(1, Math.ceil(state.branches.length / perPage));
      const headers: Record<string, string> =
        page < last
          ? { link: `<${state.url}${base}/branches?per_page=${perPage}&page=${page + 1}>; rel="next"` }
          : {};
      const names = state.branches.slice((page - 1) * perPage, page * perPage);
      json(
        res,
        200,
        names.map((name) => ({ name, commit: { sha: "0".repeat(40) }, protected: false })),
        headers,
      );
      return;
    }
    if (url.pathname === base && req.method === "GET") {
      json(res, 200, {
        id: state.repoId,
        name: repo,
        full_name: `${owner}/${repo}`,
        owner: { login: owner, id: state.ownerId, type: "Organization" },
        default_branch: "main",
      });
      return;
    }
    // GitHub's deployments API: list (environment and sha filter, newest first), statuses
    // (list newest first; create: 201, description at most 140 characters, else 422).
    if (url.pathname === `${base}/deployments` && req.method === "POST") {
      // "Create a deployment": 201 with the deployment; `ref` required.
      const body = (await readJson(req)) as {
        ref?: string;
        environment?: string;
        transient_environment?: boolean;
        production_environment?: boolean;
      };
      if (!body.ref) {
        json(res, 422, { message: "Validation Failed", errors: [{ field: "ref", code: "missing_field" }] });
        return;
      }
      const created = {
        id: nextId++,
        environment: body.environment ?? "production",
        sha: body.ref,
        ref: body.ref,
        transient: body.transient_environment ?? false,
        production: body.production_environment ?? body.environment === "production",
        statuses: [],
      };
      state.deployments.push(created);
      json(res, 201, {
        id: created.id,
        environment: created.environment,
        sha: created.sha,
        ref: created.ref,
      });
      return;
    }
    if (url.pathname === `${base}/deployments` && req.method === "GET") {
      const environment = url.searchParams.get("environment");
      const sha = url.searchParams.get("sha");
      const perPage = Number(url.searchParams.get("per_page") ?? 30);
      json(
        res,
        200,
        state.deployments
          .filter((d) => (!environment || d.environment === environment) && (!sha || d.sha === sha))
          .reverse()
          .slice(0, perPage)
          .map((d) => ({ id: d.id, environment: d.environment, sha: d.sha })),
      );
      return;
    }
    const statuses = new RegExp(`^${base}/deployments/(\\d+)/statuses$`).exec(url.pathname);
    const deployment = statuses && state.deployments.find((d) => d.id === Number(statuses[1]));
    if (statuses && !deployment) {
      json(res, 404, { message: "Not Found" });
      return;
    }
    if (deployment && req.method === "GET") {
      json(res, 200, [...deployment.statuses].reverse());
      return;
    }
    if (deployment && req.method === "POST") {
      const body = (await readJson(req)) as {
        state?: string;
        description?: string;
        auto_inactive?: boolean;
        environment_url?: string;
      };
      if ((body.description ?? "").length > 140) {
        json(res, 422, { message: "Validation Failed", errors: [{ field: "description", code: "custom" }] });
        return;
      }
      const status = {
        state: body.state ?? "",
        description: body.description ?? "",
        ...(body.auto_inactive !== undefined ? { auto_inactive: body.auto_inactive } : {}),
        ...(body.environment_url ? { environment_url: body.environment_url } : {}),
      };
      deployment.statuses.push(status);
      // GitHub's auto_inactive (default true): a success adds an inactive status to every prior
      // non-transient, non-production deployment of the same environment whose state was success.
      if (status.state === "success" && body.auto_inactive !== false) {
        for (const other of state.deployments) {
          if (other === deployment || other.environment !== deployment.environment) continue;
          if (other.transient || other.production) continue;
          if (other.statuses.at(-1)?.state === "success")
            other.statuses.push({ state: "inactive", description: "superseded (auto_inactive)" });
        }
      }
      json(res, 201, { id: deployment.statuses.length, ...status });
      return;
    }
    const dispatch = new RegExp(`^${base}/actions/workflows/([^/]+)/dispatches$`).exec(url.pathname);
    if (dispatch && req.method === "POST") {
      // GitHub's "create a workflow dispatch event": 204 with no body; 422 without ref.
      const body = (await readJson(req)) as { ref?: string; inputs?: Record<string, string> };
      if (!body.ref) {
        json(res, 422, { message: 'Invalid request.\n\n"ref" wasn\'t supplied.' });
        return;
      }
      state.dispatches.push({
        workflow: decodeURIComponent(dispatch[1] ?? ""),
        ref: body.ref,
        inputs: body.inputs ?? {},
      });
      res.writeHead(204).end();
      return;
    }
    // Issues: list (state=open default|closed|all, newest first, paginated like comments), create
    // (201), update title/body/state (PATCH); GitHub's "Issues" REST API shapes.
    const issue = new RegExp(`^${base}/issues/(\\d+)$`).exec(url.pathname);
    const issueShape = (i: FakeGitHub["issues"][number]) => ({
      number: i.number,
      title: i.title,
      body: i.body,
      state: i.state,
      labels: i.labels.map((name) => ({ name })),
      html_url: `https://github.com/${owner}/${repo}/issues/${i.number}`,
    });
    if (url.pathname === `${base}/issues` && req.method === "GET") {
      const wanted = url.searchParams.get("state") ?? "open";
      json(
        res,
        200,
        state.issues
          .filter((i) => wanted === "all" || i.state === wanted)
          .sort((a, b) => b.number - a.number)
          .map(issueShape),
      );
      return;
    }
    if (url.pathname === `${base}/issues` && req.method === "POST") {
      const { title, body, labels } = (await readJson(req)) as {
        title?: string;
        body?: string;
        labels?: string[];
      };
      if (!write(body)) return;
      if (!title) {
        json(res, 422, {
          message: "Validation Failed",
          errors: [{ resource: "Issue", code: "missing_field", field: "title" }],
        });
        return;
      }
      const created = {
        number: Math.max(0, ...state.issues.map((i) => i.number), ...state.pulls.map((p) => p.number)) + 1,
        title,
        body: body as string,
        state: "open" as const,
        labels: labels ?? [],
      };
      state.issues.push(created);
      json(res, 201, issueShape(created));
      return;
    }
    if (issue && req.method === "PATCH") {
      const found = state.issues.find((i) => i.number === Number(issue[1]));
      if (!found) {
        json(res, 404, { message: "Not Found" });
        return;
      }
      const change = (await readJson(req)) as { title?: string; body?: string; state?: "open" | "closed" };
      if (change.body !== undefined && !write(change.body)) return;
      if (state.readOnly) {
        json(res, 403, { message: "Resource not accessible by integration", status: "403" });
        return;
      }
      Object.assign(found, {
        ...(change.title ? { title: change.title } : {}),
        ...(change.body !== undefined ? { body: change.body } : {}),
        ...(change.state ? { state: change.state } : {}),
      });
      json(res, 200, issueShape(found));
      return;
    }
    if (url.pathname === `${base}/pulls` && req.method === "GET") {
      // GitHub's "list pull requests": head=owner:branch filters, state=open (default)|closed|all,
      // newest first.
      const head = url.searchParams.get("head");
      const wanted = url.searchParams.get("state") ?? "open";
      json(
        res,
        200,
        state.pulls
          .filter((p) => `${owner}:${p.head}` === head)
          .filter((p) => wanted === "all" || (p.state ?? "open") === wanted)
          .sort((a, b) => b.number - a.number)
          .map((p) => ({ number: p.number, state: p.state ?? "open" })),
      );
      return;
    }
    json(res, 404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
