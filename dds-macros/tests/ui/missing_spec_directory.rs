dds_macros::product!("specs/no_such_directory");

fn main() {}
