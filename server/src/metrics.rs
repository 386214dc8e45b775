//! Request counters and latency histograms, rendered in Prometheus' text format.

use std::{collections::BTreeMap, fmt::Write, sync::Mutex, time::Duration};

const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
}

#[derive(Default)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Metrics {
    pub fn record(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        *inner
            .requests
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
        let h = inner.latency.entry(route.to_owned()).or_default();
        let secs = elapsed.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                h.buckets[i] += 1;
            }
        }
        h.count += 1;
        h.sum += secs;
    }

    pub fn render(&self, uptime: Duration) -> String {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP gosync_uptime_seconds Seconds since the server started."
        );
        let _ = writeln!(out, "# TYPE gosync_uptime_seconds gauge");
        let _ = writeln!(out, "gosync_uptime_seconds {}", uptime.as_secs());
        let _ = writeln!(
            out,
            "# HELP gosync_http_requests_total HTTP requests by method, route and status."
        );
        let _ = writeln!(out, "# TYPE gosync_http_requests_total counter");
        for ((method, route, status), n) in &inner.requests {
            let _ = writeln!(
                out,
                "gosync_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                escape(route)
            );
        }
        let _ = writeln!(
            out,
            "# HELP gosync_http_request_duration_seconds HTTP request latency by route."
        );
        let _ = writeln!(out, "# TYPE gosync_http_request_duration_seconds histogram");
        for (route, h) in &inner.latency {
            let route = escape(route);
            for (bound, n) in BUCKETS.iter().zip(h.buckets) {
                let _ = writeln!(out, "gosync_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}");
            }
            let _ = writeln!(
                out,
                "gosync_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "gosync_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "gosync_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count
            );
        }
        out
    }
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_buckets_show_up_in_the_text() {
        let m = Metrics::default();
        m.record("GET", "/healthz", 200, Duration::from_millis(3));
        m.record("GET", "/healthz", 200, Duration::from_millis(30));
        let text = m.render(Duration::from_secs(5));
        assert!(text.contains(
            "gosync_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 2"
        ));
        assert!(text.contains(
            "gosync_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.005\"} 1"
        ));
        assert!(text.contains("gosync_http_request_duration_seconds_count{route=\"/healthz\"} 2"));
    }
}
