// The drift listener's /metrics (src/listener/metrics.ts, prom-client): Prometheus text
// with HELP and TYPE for each series, the event -> reconcile-request latency as a histogram, and
// the process metrics every Prometheus client exposes.
import { Metrics } from '../src/listener/metrics';

test('counters, the latency histogram and process metrics in the Prometheus text format', async () => {
  const m = new Metrics();
  m.events.inc({ env: 'dev', decision: 'reconcile' });
  m.events.inc({ env: 'dev', decision: 'reconcile' });
  m.queueErrors.inc({ env: 'prod' });
  m.reconcileLatency.observe({ env: 'dev' }, 1.5);
  m.reconcileLatency.observe({ env: 'dev' }, 45);
  const text = await m.text();
  expect(text).toContain('# HELP paymentenv_drift_listener_events_total ');
  expect(text).toContain('# TYPE paymentenv_drift_listener_events_total counter');
  expect(text).toContain('paymentenv_drift_listener_events_total{env="dev",decision="reconcile"} 2');
  expect(text).toContain('paymentenv_drift_listener_queue_errors_total{env="prod"} 1');
  expect(text).toContain('# TYPE paymentenv_drift_listener_event_to_reconcile_request_seconds histogram');
  expect(text).toContain('paymentenv_drift_listener_event_to_reconcile_request_seconds_bucket{le="2",env="dev"} 1');
  expect(text).toContain('paymentenv_drift_listener_event_to_reconcile_request_seconds_bucket{le="60",env="dev"} 2');
  expect(text).toContain('paymentenv_drift_listener_event_to_reconcile_request_seconds_count{env="dev"} 2');
  expect(text).toMatch(/^process_cpu_seconds_total \d/m);
  expect(text).toMatch(/^process_resident_memory_bytes \d/m);
  // Two listeners in one process (as the tests make them) keep separate registries.
  expect(await new Metrics().text()).not.toContain('decision="reconcile"');
});
