// The local control plane's git host: the bare repository served over git's smart HTTP
// (git http-backend, as a git host serves it), and the push webhook a git host sends
// Argo CD (GitHub's payload to argocd-server's /api/webhook). Argo CD matches a webhook
// to Applications by the repository's web URL (util/webhook GetWebURLRegex: http(s) or
// ssh only), so a file:// repoURL could never be refreshed by one.
import { execFileSync, spawn } from 'child_process';
import { createServer, IncomingMessage, ServerResponse } from 'http';
import { basename } from 'path';

/** One request through git http-backend (CGI): headers until the blank line, then the body. */
function backend(root: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const cgi = spawn('git', ['http-backend'], {
    env: {
      ...process.env,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ''),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_ADDR: req.socket.remoteAddress ?? '',
      ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) } : {}),
      ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
    },
  });
  req.pipe(cgi.stdin);
  let head = Buffer.alloc(0);
  let started = false;
  cgi.stdout.on('data', (chunk: Buffer) => {
    if (started) return void res.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') + 4 : head.indexOf('\n\n') >= 0 ? head.indexOf('\n\n') + 2 : -1;
    if (end < 0) return;
    started = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString().split(/\r?\n/).filter(Boolean)) {
      const [k, ...v] = line.split(':');
      if (k.toLowerCase() === 'status') status = Number(v.join(':').trim().split(' ')[0]);
      else res.setHeader(k, v.join(':').trim());
    }
    res.writeHead(status);
    res.write(head.subarray(end));
  });
  cgi.on('close', (code) => {
    if (!started) res.writeHead(code === 0 ? 200 : 500);
    res.end();
  });
  cgi.on('error', () => res.destroyed || res.writeHead(500).end());
}

/** Serves every bare repository under root at http://127.0.0.1:<port>/<name>.git until killed. */
export function serveGit(root: string, port: number): void {
  createServer((req, res) => backend(root, req, res)).listen(port, '127.0.0.1');
}

/** The repository's clone URL as Argo CD's Applications name it. */
export const cloneURL = (repo: string, port: number) => `http://127.0.0.1:${port}/${basename(repo)}`;

/** GitHub's push event for before..after of a branch (the fields Argo CD reads: ref, before, after, commits' files, repository). */
export function pushEvent(repo: string, port: number, branch: string, before: string, after: string): object {
  const git = (...args: string[]) => execFileSync('git', ['--git-dir', repo, ...args], { encoding: 'utf8' }).trim();
  const ids = git('rev-list', '--reverse', before === '0'.repeat(40) ? after : `${before}..${after}`).split('\n').filter(Boolean);
  const commits = ids.map((id) => {
    const files = { added: [] as string[], modified: [] as string[], removed: [] as string[] };
    for (const line of git('diff-tree', '--no-commit-id', '--name-status', '-r', '--root', id).split('\n').filter(Boolean)) {
      const [status, file] = line.split('\t');
      (status === 'A' ? files.added : status === 'D' ? files.removed : files.modified).push(file);
    }
    return { id, message: git('log', '-1', '--format=%s', id), ...files };
  });
  const web = cloneURL(repo, port).replace(/\.git$/, '');
  return {
    ref: `refs/heads/${branch}`, before, after, commits, head_commit: commits[commits.length - 1] ?? null,
    repository: { name: basename(repo, '.git'), full_name: `local/${basename(repo, '.git')}`, html_url: web, clone_url: `${web}.git`, default_branch: branch },
  };
}

/** POSTs a push event to Argo CD's webhook endpoint as GitHub does; returns the HTTP status. */
export async function sendWebhook(argocdServer: string, event: object): Promise<number> {
  const res = await fetch(`${argocdServer}/api/webhook`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': 'push', 'X-GitHub-Delivery': `local-${Date.now()}` },
    body: JSON.stringify(event),
  });
  return res.status;
}

if (require.main === module) {
  const [root, port] = process.argv.slice(2);
  if (!root || !port) {
    console.error('usage: githost.js <directory of bare repositories> <port>');
    process.exit(64);
  }
  serveGit(root, Number(port));
  console.log(`git over HTTP: ${root} on 127.0.0.1:${port}`);
}
