//! Rust names of generated types: derived from wire names with heck, unique within an
//! operation's module, deterministic, and overridable with `rustName`/`enumName`.

use dds_codegen::{Options, Source, SpecDir};

const PRODUCT: &str = r#"{ "product": "T", "version": "1", "style": "RPC", "endpoints": {} }"#;

fn generated(operation: &str) -> String {
    let specs = SpecDir {
        product: Source::new("product.json", PRODUCT),
        operations: vec![Source::new("Names.json", operation)],
    };
    let tokens =
        dds_codegen::generate(&specs, false, Options { client: false }).expect("valid spec");
    dds_codegen::pretty(&tokens).expect("parses")
}

const SPEC: &str = r#"{
  "action": "Names",
  "summary": "Type names that collide.",
  "methods": ["POST"],
  "operationType": "read",
  "parameters": [ { "name": "Engine", "type": "string", "enum": ["MongoDB"] } ],
  "response": { "type": "object", "properties": {
    "Engine": { "type": "string", "enum": ["MongoDB", "Redis"] },
    "Items": { "type": "object", "properties": {
      "Item": { "type": "array", "items": { "type": "object", "properties": {
        "Engine": { "type": "string", "enum": ["MongoDB"] },
        "Tag": { "type": "object", "properties": { "Key": { "type": "string" } } } } } } } },
    "Tag": { "type": "object", "properties": { "Value": { "type": "string" } } },
    "Option": { "type": "object", "properties": { "Key": { "type": "string" } } },
    "Pinned": { "type": "object", "rustName": "Chosen", "properties": { "Key": { "type": "string" } } }
  } }
}"#;

#[test]
fn derived_names_that_are_taken_get_their_parent_as_prefix() {
    let code = generated(SPEC);
    // The request enum keeps the plain name; the response ones are prefixed by their parent.
    assert!(code.contains("pub enum Engine {"), "{code}");
    assert!(code.contains("pub enum NamesResponseEngine {"), "{code}");
    assert!(code.contains("pub enum ItemEngine {"), "{code}");
    // The first `Tag` keeps its name; the later one is prefixed.
    assert!(code.contains("pub struct Tag {"), "{code}");
    assert!(code.contains("pub struct NamesResponseTag {"), "{code}");
    // Names of the prelude are never shadowed.
    assert!(code.contains("pub struct NamesResponseOption {"), "{code}");
    assert!(!code.contains("pub struct Option "), "{code}");
    assert!(code.contains("pub struct Chosen {"), "{code}");
}

#[test]
fn naming_is_deterministic() {
    assert_eq!(generated(SPEC), generated(SPEC));
}
