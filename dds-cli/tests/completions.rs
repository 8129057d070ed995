//! `dds completions <shell>`.

mod common;

use common::dds_run;

#[test]
fn a_completion_script_names_every_operation() {
    let home = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = dds_run(home.path(), &["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {run:?}");
        for meta in dds_api::operations::OPERATIONS {
            assert!(
                run.stdout.contains(meta.cli_name),
                "{shell} completions lack {}",
                meta.cli_name
            );
        }
        assert!(run.stdout.contains("ssl-action"), "{shell}");
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let home = tempfile::tempdir().unwrap();
    let run = dds_run(home.path(), &["completions", "tcsh"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("bash"), "{}", run.stderr);
}
