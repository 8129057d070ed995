dds_macros::product!("specs/all_problems_at_once");

fn main() {}
