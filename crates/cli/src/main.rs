//! `layerlab`: BuildKit-exact Dockerfile parsing and linting, and a
//! simulated `docker`, from a terminal. A thin front end: every answer
//! comes from `layerlab-syntax` and `layerlab-engine`.

mod lint_cmd;
mod parse_cmd;
#[allow(dead_code)] // used by the `docker` command
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse(args) => parse_cmd::run(&args),
        Command::Lint(args) => lint_cmd::run(&args),
    }
}
