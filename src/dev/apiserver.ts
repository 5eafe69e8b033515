// What the local API server spends its work on, from its own /metrics (bench:scale and e2e:aws).
import { kubectl } from './cluster';

/**
 * Where the API server's work goes, from one scrape: requests and seconds spent by verb and
 * resource (apiserver_request_total, apiserver_request_duration_seconds_sum), and the watch
 * events it sent by kind (apiserver_watch_events_total: one per watcher of each change).
 */
export function apiserverWork(): Map<string, number> {
  const out = new Map<string, number>();
  let text: string;
  try {
    text = kubectl(['get', '--raw', '/metrics']);
  } catch {
    return out; // an API server too busy to answer: no figure, never a failed run (e2e:aws 2026-12-07)
  }
  const label = (l: string, k: string) => new RegExp(`[{,]${k}="([^"]*)"`).exec(l)?.[1] ?? '';
  for (const l of text.split('\n')) {
    const m = /^(apiserver_request_total|apiserver_request_duration_seconds_sum|apiserver_watch_events_total)\{(.*)\} (\S+)$/.exec(l);
    if (!m) continue;
    const what = m[1] === 'apiserver_watch_events_total'
      ? `watch events ${label(l, 'kind')}.${label(l, 'group')}`
      : `${m[1] === 'apiserver_request_total' ? 'requests' : 'seconds'} ${label(l, 'verb')} ${label(l, 'resource')}${label(l, 'subresource') ? `/${label(l, 'subresource')}` : ''}`;
    out.set(what, (out.get(what) ?? 0) + Number(m[3]));
  }
  return out;
}

/** The biggest per-minute increases of each kind of apiserverWork() entry between two scrapes. */
export function busiestWork(before: Map<string, number>, after: Map<string, number>, seconds: number, top = 8) {
  if (!before.size || !after.size) return { requestsPerMinute: {}, secondsPerMinute: {}, watchEventsPerMinute: {} }; // a scrape went unanswered
  const rate = [...after].map(([k, v]) => [k, ((v - (before.get(k) ?? 0)) * 60) / seconds] as const).filter(([, v]) => v > 0);
  const pick = (prefix: string, digits: number) => Object.fromEntries(rate.filter(([k]) => k.startsWith(prefix)).sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([k, v]) => [k.slice(prefix.length), Math.round(v * 10 ** digits) / 10 ** digits]));
  return { requestsPerMinute: pick('requests ', 0), secondsPerMinute: pick('seconds ', 1), watchEventsPerMinute: pick('watch events ', 0) };
}
