//! Help text: built from the specs, the same under both names of an operation.

mod common;

use common::dds_run;

#[test]
fn help_of_modify_db_instance_ssl() {
    let home = tempfile::tempdir().unwrap();
    let run = dds_run(home.path(), &["modify-db-instance-ssl", "--help"]);
    assert_eq!(run.code, 0, "{run:?}");
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn the_action_name_shows_the_same_help() {
    let home = tempfile::tempdir().unwrap();
    let kebab = dds_run(home.path(), &["modify-db-instance-ssl", "--help"]);
    let action = dds_run(home.path(), &["ModifyDBInstanceSSL", "--help"]);
    assert_eq!(kebab.stdout, action.stdout);
}

#[test]
fn the_top_level_help_lists_every_operation_of_the_registry() {
    let home = tempfile::tempdir().unwrap();
    let run = dds_run(home.path(), &["--help"]);
    assert_eq!(run.code, 0, "{run:?}");
    for meta in dds_api::operations::OPERATIONS {
        assert!(
            run.stdout.contains(meta.cli_name),
            "{} is missing from:\n{}",
            meta.cli_name,
            run.stdout
        );
    }
}

#[test]
fn the_command_over_the_whole_registry_is_well_formed() {
    // clap's own consistency checks: no two options with one name, aliases included.
    dds_cli::cli::command(dds_api::operations::OPERATIONS).debug_assert();
}
