//! The time seam: [`Sleep`] (how the client waits between attempts) and [`TimeSource`] (what
//! time it is), so that retry tests count attempts and waits without sleeping for real.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// The future returned by [`Sleep::sleep`].
pub type SleepFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// Waits between attempts. The default, [`TokioSleep`], is `tokio::time::sleep`.
///
/// Replace it ([`crate::ClientBuilder::sleep`]) to run retries without waiting for real, e.g.
/// in tests, together with a [`TimeSource`] that the sleeps advance:
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use std::time::{Duration, SystemTime};
/// use sdkwright_runtime::{ClientBuilder, Sleep, SleepFuture, TimeSource};
///
/// /// A clock that only moves when the client sleeps; every wait is recorded.
/// #[derive(Debug, Default, Clone)]
/// struct FakeTime(Arc<Mutex<Vec<Duration>>>);
///
/// impl Sleep for FakeTime {
///     fn sleep(&self, wait: Duration) -> SleepFuture {
///         self.0.lock().unwrap().push(wait);
///         Box::pin(async {})
///     }
/// }
/// impl TimeSource for FakeTime {
///     fn now(&self) -> SystemTime {
///         SystemTime::UNIX_EPOCH + self.0.lock().unwrap().iter().sum::<Duration>()
///     }
/// }
///
/// let time = FakeTime::default();
/// let client = ClientBuilder::new("http://127.0.0.1:9")
///     .sleep(time.clone())
///     .time_source(time.clone())
///     .build()?;
/// # Ok::<(), sdkwright_runtime::BuildError>(())
/// ```
pub trait Sleep: Send + Sync + fmt::Debug {
    /// A future that completes after `wait`.
    fn sleep(&self, wait: Duration) -> SleepFuture;
}

/// The current time: for `Retry-After` dates, epoch rate-limit resets and the retry policy's
/// total elapsed bound ([`crate::RetryPolicy::max_elapsed`]). The default, [`SystemClock`],
/// is `SystemTime::now`.
pub trait TimeSource: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// [`Sleep`] with `tokio::time::sleep` (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, wait: Duration) -> SleepFuture {
        Box::pin(tokio::time::sleep(wait))
    }
}

/// [`TimeSource`] with `SystemTime::now` (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl TimeSource for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

pub(crate) type SharedSleep = Arc<dyn Sleep>;
pub(crate) type SharedTimeSource = Arc<dyn TimeSource>;
