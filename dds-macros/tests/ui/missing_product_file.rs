dds_macros::product!("specs/missing_product_file");

fn main() {}
