//! `layerlab`: BuildKit-exact Dockerfile parsing and linting, and a
//! simulated `docker`, from a terminal. A thin front end: every answer
//! comes from `layerlab-syntax` and `layerlab-engine`.

mod check_cmd;
mod docker_cmd;
mod input;
mod lint_cmd;
mod parse_cmd;
mod state_file;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// BuildKit-exact Dockerfile tools.
#[derive(Parser)]
#[command(name = "layerlab", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse Dockerfiles as BuildKit does and print the tree.
    Parse(parse_cmd::ParseArgs),
    /// Run BuildKit's build checks (`docker build --check`) on a Dockerfile.
    Lint(lint_cmd::LintArgs),
    /// Run an exercise's checks against a project folder (default: the
    /// exercise's starting files).
    Check(check_cmd::CheckArgs),
    /// A simulated `docker` (build, images, history, system df, run, ps,
    /// exec...), its state kept in a file between calls.
    Docker(docker_cmd::DockerArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse(args) => parse_cmd::run(&args),
        Command::Lint(args) => lint_cmd::run(&args),
        Command::Check(args) => check_cmd::run(&args),
        Command::Docker(args) => docker_cmd::run(args),
    }
}
