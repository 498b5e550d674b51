use std::process::ExitCode;

/// Compiling a large baseline makes millions of small allocations; mimalloc
/// serves them faster than the system allocator, across threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    govern::cli::run(govern::cli::parse())
}
