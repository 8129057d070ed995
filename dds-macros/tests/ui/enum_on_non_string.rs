dds_macros::product!("specs/enum_on_non_string");

fn main() {}
