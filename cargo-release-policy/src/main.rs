//! `cargo-release-policy`: parse, run, map the result to an exit code.

use cargo_release_policy::{run, CargoCli, Exit};

/// jemalloc rather than the system allocator: a run allocates and frees hundreds of
/// thousands of small blocks, and jemalloc reuses freed pages where glibc's returns and
/// faults them in again: less CPU, fewer page faults and a lower peak for `bump`
/// (`docs/performance.md`, "jemalloc, with huge pages").
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    cargo_release_policy::timing::start();
    let CargoCli::ReleasePolicy(cli) = CargoCli::parse_args();
    cargo_release_policy::exit_after_run();
    cargo_release_policy::join_pool_from_main();
    let code = match run(cli) {
        Ok(Exit::Success) => 0,
        Ok(Exit::Failure) => 1,
        Ok(Exit::Error) => 2,
        Err(error) => {
            // The run's printer is gone; its colour choice is anstream's global one.
            let mut stderr = anstream::stderr();
            let _ = std::io::Write::write_all(
                &mut stderr,
                format!("{}\n", error.render().trim_end()).as_bytes(),
            );
            error.exit_code()
        }
    };
    cargo_release_policy::timing::phase("output");
    std::process::exit(code);
}
