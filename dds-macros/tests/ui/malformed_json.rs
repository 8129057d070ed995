dds_macros::product!("specs/malformed_json");

fn main() {}
