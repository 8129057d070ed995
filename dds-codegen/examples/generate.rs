//! Generates the code of a spec directory and prints it formatted, with the time it took:
//! `cargo run -p dds-codegen --example generate -- specs/dds/2015-12-01`.

use std::time::Instant;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: generate <spec directory>");
        std::process::exit(2);
    };
    let started = Instant::now();
    let result = dds_codegen::generate_dir(
        std::path::Path::new(&dir),
        &dir,
        dds_codegen::Options::default(),
    );
    let elapsed = started.elapsed();
    match result {
        Ok(tokens) => {
            let text =
                dds_codegen::pretty(&tokens).unwrap_or_else(|e| format!("/* unparsable: {e} */"));
            println!("{text}");
            eprintln!("generated {} lines in {elapsed:?}", text.lines().count());
        }
        Err(diagnostics) => {
            for diagnostic in diagnostics {
                eprintln!("error: {diagnostic}");
            }
            std::process::exit(1);
        }
    }
}
