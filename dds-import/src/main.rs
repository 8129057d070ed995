//! `dds-import --base OLD.json [--overlay NEW.json] --out specs/dds/2015-12-01 [--report FILE]`

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: dds-import --base <metadata.json> [--overlay <newer-metadata.json>] --out <spec-dir> [--report <file>]

Writes <spec-dir>/<Action>.json for every operation of the metadata (the union of both
snapshots) and <spec-dir>/product.json, keeping what existing files add to the metadata.
Prints what was not carried over to stderr; --report writes the full list to a file.";

struct Args {
    base: PathBuf,
    overlay: Option<PathBuf>,
    out: PathBuf,
    report: Option<PathBuf>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let (mut base, mut overlay, mut out, mut report) = (None, None, None, None);
    while let Some(flag) = args.next() {
        let slot = match flag.as_str() {
            "--base" => &mut base,
            "--overlay" => &mut overlay,
            "--out" => &mut out,
            "--report" => &mut report,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        };
        let value = args
            .next()
            .ok_or_else(|| format!("`{flag}` needs a path after it"))?;
        if slot.replace(PathBuf::from(value)).is_some() {
            return Err(format!("`{flag}` given twice"));
        }
    }
    Ok(Args {
        base: base.ok_or("`--base` is required")?,
        overlay,
        out: out.ok_or("`--out` is required")?,
        report,
    })
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("dds-import: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };

    let outcome = match dds_import::import_dir(&args.base, args.overlay.as_deref(), &args.out) {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("dds-import: {e}");
            return ExitCode::FAILURE;
        }
    };

    eprint!("{}", outcome.report.render_summary());
    if let Some(path) = &args.report
        && let Err(e) = std::fs::write(path, outcome.report.render_full())
    {
        eprintln!("dds-import: {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    eprintln!(
        "dds-import: {} created, {} updated, {} unchanged in {}",
        outcome.created.len(),
        outcome.updated.len(),
        outcome.unchanged.len(),
        args.out.display()
    );
    if !outcome.untouched.is_empty() {
        eprintln!(
            "dds-import: not in the metadata, left as they are: {}",
            outcome.untouched.join(", ")
        );
    }
    ExitCode::SUCCESS
}
