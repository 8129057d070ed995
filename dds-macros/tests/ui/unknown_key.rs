dds_macros::product!("specs/unknown_key");

fn main() {}
