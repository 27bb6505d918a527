//! [`RetryPolicy`] and backoff computation.

use std::time::{Duration, SystemTime};

/// Retry policy: exponential backoff with full jitter, honouring `Retry-After`.
///
/// What is retried:
/// - responses with status 429 or 503, for idempotent methods only (all but POST and PATCH,
///   RFC 9110 §9.2.2); the wait is the response's `Retry-After` (seconds or an
///   HTTP-date) when present, else the backoff, in both cases capped by `max_backoff`;
/// - connection failures (the connection could not be established, so the request provably
///   never left): for any method;
/// - other transport errors (e.g. connection reset mid-request), for idempotent methods only.
///
/// Timeouts are not retried. The backoff before retry `n` (1-based) is uniformly random in
/// `[0, min(max_backoff, initial_backoff * 2^(n-1))]`.
///
/// `#[non_exhaustive]`: start from [`RetryPolicy::default`] or [`RetryPolicy::none`] and adjust
/// with the `with_` methods.
///
/// ```
/// use std::time::Duration;
/// use sdkwright_runtime::RetryPolicy;
///
/// let p = RetryPolicy::default().with_max_attempts(5);
/// assert_eq!((p.max_attempts, p.max_backoff), (5, Duration::from_secs(10)));
/// assert_eq!(RetryPolicy::none().max_attempts, 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Total attempts including the first (1 = no retries; 0 is treated as 1).
    pub max_attempts: u32,
    /// Backoff before the first retry.
    pub initial_backoff: Duration,
    /// Upper bound of any one backoff (also caps `Retry-After`).
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, 100 ms initial backoff, 10 s cap.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(10),
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

    /// The default backoffs with this many attempts in total.
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

    /// The wait requested by a `Retry-After` value, capped by `max_backoff`; `None` if it does
    /// not parse.
    pub(crate) fn retry_after(&self, value: &str) -> Option<Duration> {
        let value = value.trim();
        let wait = if let Ok(secs) = value.parse::<u64>() {
            Duration::from_secs(secs)
        } else {
            let at = httpdate::parse_http_date(value).ok()?;
            at.duration_since(SystemTime::now())
                .unwrap_or(Duration::ZERO)
        };
        Some(wait.min(self.max_backoff))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn retry_after_parses_and_caps() {
        let p = RetryPolicy::default();
        assert_eq!(p.retry_after("0"), Some(Duration::ZERO));
        assert_eq!(p.retry_after(" 3 "), Some(Duration::from_secs(3)));
        assert_eq!(p.retry_after("3600"), Some(Duration::from_secs(10)));
        assert_eq!(
            p.retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let future = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
        assert_eq!(p.retry_after(&future), Some(Duration::from_secs(10)));
        assert_eq!(p.retry_after("soon"), None);
    }

    #[test]
    fn none_is_one_attempt() {
        assert_eq!(RetryPolicy::none().attempts(), 1);
        assert_eq!(RetryPolicy::default().attempts(), 3);
    }
}
