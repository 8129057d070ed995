//! A wrong spec fails the build with messages that name the file, the JSON path, the
//! line:column, what was expected and what was found; all problems at once and nothing else.
//! Each case is `tests/ui/<case>.rs` with its specs in `tests/ui/specs/<case>/` and the
//! expected compiler output in `tests/ui/<case>.stderr`.

#[test]
fn wrong_specs_fail_the_build_with_located_messages() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
