dds_macros::product!("specs/duplicate_parameter");

fn main() {}
