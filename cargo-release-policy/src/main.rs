//! `cargo-release-policy`: parse, run, map the result to an exit code.

use clap::Parser as _;

use cargo_release_policy::{run, CargoCli, Exit};

fn main() {
    cargo_release_policy::timing::start();
    let CargoCli::ReleasePolicy(cli) = CargoCli::parse();
    cargo_release_policy::app::exit_after_run();
    let code = match run(cli) {
        Ok(Exit::Success) => 0,
        Ok(Exit::Failure) => 1,
        Err(error) => {
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
