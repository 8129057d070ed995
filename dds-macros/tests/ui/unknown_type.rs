dds_macros::product!("specs/unknown_type");

fn main() {}
