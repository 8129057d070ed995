dds_macros::product!("specs/rust_name_collision");

fn main() {}
