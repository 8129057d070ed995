dds_macros::product!("specs/error_without_status");

fn main() {}
