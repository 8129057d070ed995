//! The `dds` command.

use std::process::ExitCode;

fn main() -> ExitCode {
    dds_cli::main(std::env::args_os(), dds_api::operations::OPERATIONS).into()
}
