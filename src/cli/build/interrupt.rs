//! SIGINT and SIGTERM while a baseline is being written (Ctrl-C, `timeout`,
//! a cancelled CI job): a thread waits for either, removes this process's
//! staging folders once the writes under way have ended (each fails at its
//! next flush; a write stuck in the system is waited for at most 5 s), and
//! ends the process with the conventional 128 + signal number, printing
//! nothing.
//! The output folder keeps the previous baseline.

/// Starts waiting for the signals, once per process. Where they cannot be
/// caught, the build goes on without: a later build removes what an
/// interrupted one leaves.
#[cfg(unix)]
pub(super) fn guard() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    crate::compile::output::abandon();
                    std::process::exit(128 + signal);
                }
            });
    });
}

/// Elsewhere the default handling stays; a later build removes what an
/// interrupted one leaves.
#[cfg(not(unix))]
pub(super) fn guard() {}
