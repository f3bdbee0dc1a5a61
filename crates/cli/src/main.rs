//! `layerlab`: BuildKit-exact Dockerfile parsing and linting, and a
//! simulated `docker`, from a terminal. A thin front end: every answer
//! comes from `layerlab-syntax` and `layerlab-engine`.

mod parse_cmd;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse(args) => parse_cmd::run(&args),
    }
}
