//! Retries in two parts, as smithy-rs does it at a much larger scale: the classifier
//! ([`classify`]) says whether an attempt's outcome is worth another attempt and why
//! ([`RetryReason`]); the [`RetryPolicy`] says how many attempts, how long to wait and for how
//! long in total. Whether a request may be sent again at all (idempotency, keys) is
//! [`may_resend`].

use std::fmt;
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

use crate::error::TransportErrorKind;

/// Retry policy: how many attempts, how long to wait between them, how long in total.
///
/// What is retried (the classifier, the same for every policy):
/// - connection failures, timeouts, a connection lost before the response or in the middle of
///   its body, and the statuses 408, 429, 500, 502, 503 and 504;
/// - for idempotent methods (all but POST and PATCH, RFC 9110 §9.2.2), and for POST and PATCH
///   requests that carry an idempotency key ([`crate::ClientBuilder::idempotency_keys`], or
///   an operation whose API declares an `Idempotency-Key` header); every attempt carries the
///   same key;
/// - a POST or PATCH without a key is sent exactly once, whatever fails, except when the
///   connection could not be established (the request provably never left);
/// - a request whose body is a caller's stream ([`crate::FilePart::from_stream`],
///   [`crate::FilePart::from_reader`]) is never sent again once a chunk of the stream was read,
///   whatever its method or key: a stream is one-shot. A body from a file
///   ([`crate::FilePart::from_path`]) is re-opened and re-sent from its start like bytes.
///
/// The wait before retry `n` (1-based) is uniformly random in
/// `[0, min(max_backoff, initial_backoff * 2^(n-1))]` (full jitter), unless the response says
/// how long to wait: `Retry-After` (seconds or an HTTP date) on any retried response, and on a
/// 429 the rate-limit reset headers `RateLimit-Reset` (seconds), `X-RateLimit-Reset` (seconds,
/// or a Unix time when 10^9 or more) and `x-ratelimit-reset-requests` (a duration such as
/// `1m30s` or `250ms`), read in that order. A server's wait is capped by `max_backoff` too.
///
/// Retries stop after `max_attempts` attempts, or when the next one would start more than
/// `max_elapsed` after the first one started (the attempt in flight is bounded by the client's
/// timeout, not by `max_elapsed`).
///
/// `#[non_exhaustive]`: start from [`RetryPolicy::default`] or [`RetryPolicy::none`] and adjust
/// with the `with_` methods.
///
/// ```
/// use std::time::Duration;
/// use sdkwright_runtime::RetryPolicy;
///
/// let p = RetryPolicy::default()
///     .with_max_attempts(5)
///     .with_max_elapsed(Duration::from_secs(20));
/// assert_eq!((p.max_attempts, p.max_backoff), (5, Duration::from_secs(10)));
/// assert_eq!(p.max_elapsed, Duration::from_secs(20));
/// assert_eq!(RetryPolicy::none().max_attempts, 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Total attempts including the first (1 = no retries; 0 is treated as 1).
    pub max_attempts: u32,
    /// Backoff before the first retry.
    pub initial_backoff: Duration,
    /// Upper bound of any one wait (backoff, `Retry-After` or rate-limit reset).
    pub max_backoff: Duration,
    /// No retry starts later than this after the first attempt started.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, 100 ms initial backoff, 10 s cap per wait, 60 s in total.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(10),
            max_elapsed: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries: one attempt.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// This many attempts in total.
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n;
        self
    }

    /// These backoff bounds.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// This bound on the total time: no retry starts later than `max` after the first attempt.
    pub fn with_max_elapsed(mut self, max: Duration) -> Self {
        self.max_elapsed = max;
        self
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts.max(1)
    }

    /// The full-jitter backoff before retry number `retry` (1-based).
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exp = retry.saturating_sub(1).min(31);
        let ceiling = self
            .initial_backoff
            .checked_mul(1u32 << exp)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }

    /// The wait before the next attempt, after `done` attempts and `elapsed` since the first
    /// started, given the server's requested wait (`hint`); `None`: no more attempts.
    pub(crate) fn next_wait(
        &self,
        done: u32,
        elapsed: Duration,
        hint: Option<Duration>,
    ) -> Option<Duration> {
        if done >= self.attempts() {
            return None;
        }
        let wait = match hint {
            Some(h) => h.min(self.max_backoff),
            None => self.backoff(done),
        };
        if elapsed.saturating_add(wait) > self.max_elapsed {
            return None;
        }
        Some(wait)
    }
}

/// Why an attempt is retried (given to [`crate::Interceptor::on_retry`] and in the `tracing`
/// events).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryReason {
    /// The connection could not be established: the request never left.
    Connect,
    /// The attempt timed out.
    Timeout,
    /// The connection failed after it was established, before a response arrived (reset,
    /// closed by the server).
    ConnectionLost,
    /// The connection failed in the middle of the response body.
    BodyInterrupted,
    /// The response had a retryable status: 408, 429, 500, 502, 503 or 504.
    Status(u16),
}

impl fmt::Display for RetryReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetryReason::Connect => f.write_str("connection failed"),
            RetryReason::Timeout => f.write_str("timed out"),
            RetryReason::ConnectionLost => f.write_str("connection lost before the response"),
            RetryReason::BodyInterrupted => f.write_str("connection lost in the response body"),
            RetryReason::Status(s) => write!(f, "status {s}"),
        }
    }
}

/// How one attempt ended, as the classifier sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Outcome {
    /// A response with this status arrived (its body not read yet).
    Response(u16),
    /// The transport failed; `in_body`: while reading the response body.
    Transport {
        kind: TransportErrorKind,
        in_body: bool,
    },
}

/// The classifier: whether an outcome is worth another attempt, and why. It knows nothing of
/// the method or the policy.
pub(crate) fn classify(outcome: Outcome) -> Option<RetryReason> {
    match outcome {
        Outcome::Response(s @ (408 | 429 | 500 | 502 | 503 | 504)) => Some(RetryReason::Status(s)),
        Outcome::Response(_) => None,
        Outcome::Transport { kind, in_body } => match kind {
            TransportErrorKind::Connect => Some(RetryReason::Connect),
            TransportErrorKind::Timeout => Some(RetryReason::Timeout),
            TransportErrorKind::Other if in_body => Some(RetryReason::BodyInterrupted),
            TransportErrorKind::Other => Some(RetryReason::ConnectionLost),
            _ => None,
        },
    }
}

/// Whether a request may be sent again after `reason`: never when its body cannot be replayed
/// (`replayable` is false: a caller's stream of which a chunk was already read, see
/// [`crate::FilePart::from_stream`]); otherwise always when it is idempotent or carries an
/// idempotency key, and else only when it provably never left (the connection to the first
/// server could not be established: after a redirect, the first server already has it).
pub(crate) fn may_resend(
    reason: RetryReason,
    idempotent: bool,
    keyed: bool,
    hops: u32,
    replayable: bool,
) -> bool {
    replayable && (idempotent || keyed || (reason == RetryReason::Connect && hops == 0))
}

/// How long the server asks the client to wait before retrying a response with `status`, per
/// the headers documented on [`RetryPolicy`]; uncapped.
pub(crate) fn server_wait(status: u16, headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(w) = get("retry-after").and_then(|v| retry_after(v, now)) {
        return Some(w);
    }
    if status != 429 {
        return None;
    }
    if let Some(w) = get("ratelimit-reset").and_then(seconds) {
        return Some(w);
    }
    if let Some(w) = get("x-ratelimit-reset").and_then(|v| seconds_or_epoch(v, now)) {
        return Some(w);
    }
    get("x-ratelimit-reset-requests").and_then(go_duration)
}

/// `Retry-After`: delay-seconds or an HTTP date (RFC 9110 §10.2.3); a past date is no wait.
pub(crate) fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A non-negative number of seconds, possibly with a fraction.
fn seconds(value: &str) -> Option<Duration> {
    from_secs(value.parse().ok()?)
}

fn from_secs(x: f64) -> Option<Duration> {
    if !x.is_finite() || x < 0.0 {
        return None;
    }
    Some(Duration::try_from_secs_f64(x).unwrap_or(Duration::MAX))
}

/// Seconds from now, or a Unix time (seconds) when it is 10^9 or more (September 2001: no
/// server asks for a wait of 31 years).
fn seconds_or_epoch(value: &str, now: SystemTime) -> Option<Duration> {
    let d = seconds(value)?;
    if d < Duration::from_secs(1_000_000_000) {
        return Some(d);
    }
    let at = SystemTime::UNIX_EPOCH.checked_add(d)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A Go-style duration (`1s`, `6m0s`, `1h2m3.5s`, `250ms`), as OpenAI's
/// `x-ratelimit-reset-requests` sends.
fn go_duration(value: &str) -> Option<Duration> {
    let mut rest = value;
    let mut total = Duration::ZERO;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (num, after) = rest.split_at(num_len);
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_len);
        let scale = match unit {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 1e-3,
            "us" | "µs" => 1e-6,
            "ns" => 1e-9,
            _ => return None,
        };
        let n: f64 = num.parse().ok()?;
        let part = from_secs(n * scale)?;
        total = total.saturating_add(part);
        rest = next;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn backoff_is_bounded() {
        let p = RetryPolicy::default();
        for retry in 1..40 {
            let b = p.backoff(retry);
            assert!(b <= p.max_backoff);
            let cap = Duration::from_millis(100) * 2u32.pow((retry - 1).min(20));
            assert!(b <= cap);
        }
    }

    #[test]
    fn next_wait_respects_attempts_elapsed_and_cap() {
        let p = RetryPolicy::default()
            .with_max_attempts(3)
            .with_max_elapsed(Duration::from_secs(15));
        let s = Duration::from_secs;
        assert_eq!(p.next_wait(1, s(0), Some(s(2))), Some(s(2)));
        // Capped by max_backoff (10 s).
        assert_eq!(p.next_wait(1, s(0), Some(s(3600))), Some(s(10)));
        // Past the total bound.
        assert_eq!(p.next_wait(2, s(6), Some(s(10))), None);
        assert_eq!(p.next_wait(2, s(5), Some(s(10))), Some(s(10)));
        // Attempts exhausted.
        assert_eq!(p.next_wait(3, s(0), Some(s(0))), None);
        assert_eq!(RetryPolicy::none().next_wait(1, s(0), None), None);
        // Backoff without a hint: within the jitter ceiling.
        let w = p.next_wait(2, s(0), None).unwrap();
        assert!(w <= Duration::from_millis(200), "{w:?}");
    }

    #[test]
    fn retry_after_parses() {
        let now = SystemTime::now();
        assert_eq!(retry_after("0", now), Some(Duration::ZERO));
        assert_eq!(retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::ZERO)
        );
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let date = httpdate::fmt_http_date(at);
        assert_eq!(
            retry_after(&date, at - Duration::from_secs(42)),
            Some(Duration::from_secs(42))
        );
        assert_eq!(retry_after("soon", now), None);
        assert_eq!(retry_after("-1", now), None);
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn server_waits() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let w = |status, pairs: &[(&'static str, &str)]| server_wait(status, &headers(pairs), now);
        let s = Duration::from_secs;
        assert_eq!(w(503, &[("retry-after", "7")]), Some(s(7)));
        // Retry-After wins over the rate-limit headers.
        assert_eq!(
            w(429, &[("retry-after", "1"), ("ratelimit-reset", "9")]),
            Some(s(1))
        );
        assert_eq!(w(429, &[("ratelimit-reset", "9")]), Some(s(9)));
        assert_eq!(w(429, &[("x-ratelimit-reset", "12")]), Some(s(12)));
        assert_eq!(w(429, &[("x-ratelimit-reset", "1700000030")]), Some(s(30)));
        assert_eq!(
            w(429, &[("x-ratelimit-reset", "1700000000.5")]),
            Some(Duration::from_millis(500))
        );
        assert_eq!(w(429, &[("x-ratelimit-reset", "1600000000")]), Some(s(0)));
        assert_eq!(
            w(429, &[("x-ratelimit-reset-requests", "1m30s")]),
            Some(s(90))
        );
        assert_eq!(
            w(429, &[("x-ratelimit-reset-requests", "250ms")]),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            w(429, &[("x-ratelimit-reset-requests", "1.5s")]),
            Some(Duration::from_millis(1500))
        );
        // Rate-limit resets are read on a 429 only: elsewhere they describe the window.
        assert_eq!(w(503, &[("x-ratelimit-reset", "12")]), None);
        // Garbage is ignored.
        for bad in ["", "soon", "-3", "NaN", "inf", "1x", "s", "1e400"] {
            assert_eq!(w(429, &[("ratelimit-reset", bad)]), None, "{bad}");
            assert_eq!(
                w(429, &[("x-ratelimit-reset-requests", bad)]),
                None,
                "{bad}"
            );
        }
        assert_eq!(w(429, &[]), None);
    }

    #[test]
    fn classifier() {
        use TransportErrorKind as K;
        for s in [408, 429, 500, 502, 503, 504] {
            assert_eq!(classify(Outcome::Response(s)), Some(RetryReason::Status(s)));
        }
        for s in [200, 201, 301, 400, 401, 403, 404, 409, 501, 505] {
            assert_eq!(classify(Outcome::Response(s)), None, "{s}");
        }
        let t = |kind, in_body| classify(Outcome::Transport { kind, in_body });
        assert_eq!(t(K::Connect, false), Some(RetryReason::Connect));
        assert_eq!(t(K::Timeout, true), Some(RetryReason::Timeout));
        assert_eq!(t(K::Other, false), Some(RetryReason::ConnectionLost));
        assert_eq!(t(K::Other, true), Some(RetryReason::BodyInterrupted));
        assert_eq!(t(K::BodyTooLarge, true), None);
        assert_eq!(t(K::Redirect, false), None);

        // Idempotency decides whether it may be sent again.
        let r = RetryReason::Status(503);
        assert!(may_resend(r, true, false, 0, true));
        assert!(!may_resend(r, false, false, 0, true));
        assert!(may_resend(r, false, true, 0, true));
        assert!(may_resend(RetryReason::Connect, false, false, 0, true));
        assert!(!may_resend(RetryReason::Connect, false, false, 1, true));
        assert!(!may_resend(RetryReason::Timeout, false, false, 0, true));
        // A body stream already read from: never, whatever the method, key or reason.
        for reason in [r, RetryReason::Connect, RetryReason::ConnectionLost] {
            assert!(!may_resend(reason, true, true, 0, false), "{reason}");
        }
    }

    #[test]
    fn none_is_one_attempt() {
        assert_eq!(RetryPolicy::none().attempts(), 1);
        assert_eq!(RetryPolicy::default().attempts(), 3);
    }
}
